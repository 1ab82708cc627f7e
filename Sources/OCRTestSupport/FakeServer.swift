enum OCRTestSupport {}
