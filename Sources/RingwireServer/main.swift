print("ringwire")
