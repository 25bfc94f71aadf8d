"""A demo gateway for development: pays by VietQR like a bank transfer, and lets the payer
confirm the payment from our own pages, which sends the same signed notification a bank would."""
