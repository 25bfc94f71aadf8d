"""Bank transfer by VietQR, confirmed by the collecting bank's signed notification."""
