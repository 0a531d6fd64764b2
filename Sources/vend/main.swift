import VendCLI

await VendMain.main()
