print("ocrview")
