print("burst")
