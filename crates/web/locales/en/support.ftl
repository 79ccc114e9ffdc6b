## Support
