using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using IvsServerless.LocalHost;

// The one local command: dotnet run --project src/IvsServerless.LocalHost [-- --help]
var (parsed, error, help) = CommandLine.Parse(args, Environment.GetEnvironmentVariable);
if (help)
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}

if (parsed is null)
{
    await Console.Error.WriteLineAsync($"{error} Run with --help for the options.");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Stop cleanly (the JVM with us) instead of letting the runtime end the process mid-way.
    e.Cancel = true;
    stop.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    stop.Cancel();
});

Console.WriteLine("Starting the IvsServerless local host (the first run installs DynamoDB Local from npm)...");
LocalHost host;
try
{
    host = await LocalHost.StartAsync(parsed with { FunctionLog = Console.OpenStandardOutput() }, stop.Token);
}
catch (PortInUseException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.WriteLine("Stopped before it was ready.");
    return 0;
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or ArgumentException)
{
    await Console.Error.WriteLineAsync($"The local host could not start: {e.Message}");
    return 1;
}

await using (host)
{
    var sinceProcessStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
    Console.WriteLine(Banner.Text(host, sinceProcessStart));
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }

    Console.WriteLine("Stopping...");
    Console.WriteLine($"Dead letters (events no function could take): {host.DeadLetters.Count.ToString(CultureInfo.InvariantCulture)}");
}

Console.WriteLine("Stopped.");
return 0;
