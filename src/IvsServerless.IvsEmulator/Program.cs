using IvsServerless.IvsEmulator;
using Microsoft.Extensions.Logging;

// Runs the emulator alone: dotnet run --project src/IvsServerless.IvsEmulator [-- --urls http://127.0.0.1:PORT]
var hostArgs = args.Any(a => a.StartsWith("--urls", StringComparison.Ordinal)) ? args : [.. args, "--urls", "http://127.0.0.1:4566"];
// The host logs a failed start with a stack trace; this program says what went wrong in one line instead.
await using var server = EmulatorServer.Create(hostArgs, logging: logging =>
    logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None));
try
{
    await server.StartAsync();
}
catch (IOException e)
{
    await Console.Error.WriteLineAsync(
        $"The IVS emulator could not listen: {e.Message} (choose another port with --urls http://127.0.0.1:PORT)");
    return 1;
}

Console.WriteLine($"IVS real-time emulator listening on {server.BaseAddress}");
Console.WriteLine($"  AWS API (restJson1, any SigV4 credentials): {server.BaseAddress}");
Console.WriteLine($"  simulation surface:                         {server.BaseAddress}_sim/");
Console.WriteLine("Press Ctrl+C to stop.");
await server.WaitForShutdownAsync();
return 0;
