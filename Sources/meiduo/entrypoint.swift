import App
import NIOCore
import NIOPosix

@main
enum Entrypoint {
    static func main() async {
        // Handlers, workers and commands run on NIO's event loops rather than hopping to Swift's cooperative pool
        // and back at each await on a channel.
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await MeiduoCommand.main()
    }
}
