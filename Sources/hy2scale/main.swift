print("hy2scale")
