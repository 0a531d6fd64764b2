import VendCLI

/// The `vend` executable: everything lives in VendCLI, which tests drive in-process.
@main
enum Entry {
    static func main() async {
        await VendMain.run()
    }
}
