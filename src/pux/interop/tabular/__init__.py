"""CSV and Excel import and export of needs, programmes and assistance activities."""
