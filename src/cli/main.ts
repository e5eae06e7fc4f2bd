console.log("cli pending")
