using IvsServerless.IvsEmulator;

// Runs the emulator alone: dotnet run --project src/IvsServerless.IvsEmulator -- --urls http://127.0.0.1:4566
var urls = args.Contains("--urls") ? args : [.. args, "--urls", "http://127.0.0.1:4566"];
await using var server = EmulatorServer.Create(urls);
var lifetime = server.RunAsync();
Console.WriteLine($"IVS real-time emulator listening on {server.BaseAddress} (simulation surface: {server.BaseAddress}_sim/)");
await lifetime;
