// A real OpenID Connect provider for the browser suite: the `oidc-provider`
// package on 127.0.0.1, with its development sign-in pages (any password),
// one confidential test client and one test user whose e-mail is a demo
// account's (the referent of Lycée Malherbe).
//
// The HTTP server starts first (its port gives the issuer); the provider is
// built once RefNum's address (the client's redirect URI) is known.

import { generateKeyPairSync, randomBytes } from "node:crypto";
import http from "node:http";
import Provider from "oidc-provider";

export const OIDC_CLIENT_ID = "refnum-e2e";
export const OIDC_CLIENT_SECRET = randomBytes(24).toString("hex");

// The people the provider knows: login → claims. (Not the CAS test user:
// an account linked to one provider cannot be taken by another.)
export const OIDC_USERS = {
  julien: {
    email: "referent.malherbe@ac-normandie.test",
    email_verified: true,
    name: "Julien Roussel",
  },
};

/**
 * Starts the provider's HTTP server on a free loopback port.
 * Returns { issuer, configure(redirectUri), stop() }.
 */
export async function startOidcProvider() {
  let provider = null;
  const server = http.createServer((req, res) => {
    if (!provider) {
      res.writeHead(503, { "content-type": "text/plain" });
      res.end("provider not configured yet");
      return;
    }
    provider.callback()(req, res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "e2e-rsa", use: "sig", alg: "RS256" };

  const configure = (redirectUri) => {
    provider = new Provider(issuer, {
      clients: [
        {
          client_id: OIDC_CLIENT_ID,
          client_secret: OIDC_CLIENT_SECRET,
          redirect_uris: [redirectUri],
          grant_types: ["authorization_code"],
          response_types: ["code"],
          token_endpoint_auth_method: "client_secret_basic",
        },
      ],
      jwks: { keys: [jwk] },
      cookies: { keys: [randomBytes(16).toString("hex")] },
      claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
      pkce: { required: () => true },
      features: { devInteractions: { enabled: true } },
      async findAccount(_ctx, id) {
        const user = OIDC_USERS[id];
        return {
          accountId: id,
          async claims() {
            return user ? { sub: id, ...user } : { sub: id };
          },
        };
      },
    });
    // Quiet: the development-interactions warning is expected here.
    provider.on("server_error", (_ctx, err) => console.error("oidc-provider:", err));
  };

  const stop = () =>
    new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
  return { issuer, configure, stop };
}
