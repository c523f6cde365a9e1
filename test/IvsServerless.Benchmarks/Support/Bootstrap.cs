using System.Diagnostics;
using System.Text.Json;
using IvsServerless.Api.HttpApi;
using IvsServerless.Local;
using IvsServerless.Testing;
using IvsServerless.Testing.ApiSupport;

namespace IvsServerless.Benchmarks.Support;

/// <summary>One way of running the function's <c>bootstrap</c>: the Native AOT executable, or the same code on JIT.</summary>
public sealed record BootstrapVariant(string Name, string FileName, IReadOnlyList<string> Arguments)
{
    public const string NativeEnvironmentVariable = "BOOTSTRAP_EXECUTABLE";

    /// <summary>The published executable: <c>--bootstrap</c>, else $BOOTSTRAP_EXECUTABLE, else artifacts/lambda/bootstrap (published when
    /// missing).</summary>
    public static async Task<BootstrapVariant> NativeAsync(BenchmarkArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var path = args.Text("bootstrap") ?? Environment.GetEnvironmentVariable(NativeEnvironmentVariable);
        if (path is not null)
        {
            return File.Exists(path) ? new("aot", Path.GetFullPath(path), []) : throw new FileNotFoundException(
                $"No bootstrap executable at {path}.");
        }

        var output = RepoPaths.Combine("artifacts/lambda");
        var executable = Path.Combine(output, "bootstrap");
        if (!File.Exists(executable))
        {
            Console.WriteLine($"  publishing the Native AOT bootstrap to {output} (about 80 s)…");
            (await ProcessRunner.RunAsync("dotnet",
                ["publish", RepoPaths.Combine("src/IvsServerless.Lambda"), "-c", "Release", "-r", "linux-x64", "-o", output],
                RepoPaths.Root, timeout: TimeSpan.FromMinutes(10), cancellationToken: cancellationToken)).EnsureSuccess();
        }

        return new("aot", executable, []);
    }

    /// <summary>
    /// <c>dotnet bootstrap.dll</c>: <c>--jit-dll</c>, else the build of src/IvsServerless.Lambda this project references
    /// (copied next to the benchmarks, so built in the same configuration: run the benchmarks with -c Release).
    /// </summary>
    public static BootstrapVariant Jit(BenchmarkArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var dll = Path.GetFullPath(args.Text("jit-dll") ?? Path.Combine(AppContext.BaseDirectory, "bootstrap.dll"));
        return File.Exists(dll) ? new("jit", "dotnet", [dll]) : throw new FileNotFoundException($"No bootstrap.dll at {dll}.");
    }

    /// <summary>Starts the function as Lambda would: a fresh process configured only by its environment.</summary>
    /// <param name="startTimestamp"><see cref="Stopwatch.GetTimestamp"/> taken just before the process was created.</param>
    public Process Start(IReadOnlyDictionary<string, string?> environment, out long startTimestamp)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var start = new ProcessStartInfo(FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        // The runtime logs JSON lines to stdout; drain both pipes so a full pipe never stalls the function.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        startTimestamp = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static void Stop(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    /// <summary>An HTTP API payload v2 event as the Runtime API hands it to the function.</summary>
    public static byte[] Event(ApiRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonSerializer.SerializeToUtf8Bytes(request.Build(), HttpApiJsonContext.Default.APIGatewayHttpApiV2ProxyRequest);
    }

    /// <summary>The <c>statusCode</c> of the HTTP API response the function posted, or null when it posted an error.</summary>
    public static int? StatusOf(PostedResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Kind != "response")
        {
            return null;
        }

        using var json = JsonDocument.Parse(result.Body);
        return json.RootElement.TryGetProperty("statusCode", out var status) ? status.GetInt32() : null;
    }
}
