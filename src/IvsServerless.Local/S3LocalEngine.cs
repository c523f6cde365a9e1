using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.S3;

namespace IvsServerless.Local;

/// <summary>How to start <see cref="S3LocalEngine"/>.</summary>
public sealed class S3LocalOptions
{
    /// <summary>The port to listen on; 0 lets the OS pick a free one when the server binds (no probe, no race).</summary>
    public int Port { get; init; }

    /// <summary>Buckets created at start (empty, in a scratch folder removed at the end).</summary>
    public IReadOnlyList<string> Buckets { get; init; } = [];

    /// <summary>The folder whose package-lock.json pins the server; null means <see cref="S3LocalEngine.DefaultPackageFolder"/>.</summary>
    public string? PackageFolder { get; init; }

    /// <summary>How long the server may take to print that it listens.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The one key the server accepts; null makes one up for this start (the local host passes the key its functions
    /// sign with).</summary>
    public BasicAWSCredentials? Credentials { get; init; }

    /// <summary>The node to run; null means <c>node</c> on the PATH.</summary>
    public string? Node { get; init; }
}

/// <summary>
/// An S3-compatible server — <c>@20minutes/s3rver</c>, pinned in <c>src/s3-local</c>, run by <c>server.js</c> there — as a
/// child process on 127.0.0.1 only. It verifies SigV4 (headers and presigned URLs, expiry included) against one access
/// key made up per start and refuses unsigned requests, so what works against it needs real signing, as S3 does.
/// The server exits when the pipe on its stdin closes: disposing, or the owner dying in any way.
/// </summary>
/// <remarks>Used by the local host (recordings) and the tests. See README.md beside this file.</remarks>
public sealed partial class S3LocalEngine : IAsyncDisposable, IDisposable
{
    /// <summary>The folder, relative to the repository root, whose package-lock.json pins the server.</summary>
    public const string DefaultPackageFolder = "src/s3-local";

    /// <summary>The region clients sign with (the server takes any; one value keeps the SDK's signer happy).</summary>
    public const string Region = "us-east-1";

    private const string Package = "@20minutes/s3rver";

    private readonly OutputTail _recentOutput = new("local S3 server");
    private readonly S3LocalOptions _options;
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopped;
    private Process? _server;
    private string? _scratch;

    private S3LocalEngine(S3LocalOptions options)
    {
        _options = options;
        Credentials = options.Credentials ?? new BasicAWSCredentials("local-" + RandomNumberGenerator.GetHexString(8, lowercase: true),
            RandomNumberGenerator.GetHexString(40, lowercase: true));
    }

    public int Port { get; private set; }

    /// <summary>The endpoint for AWS SDK clients (path-style), e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string ServiceUrl => $"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The one key the server accepts (<see cref="S3LocalOptions.Credentials"/>, or made up for this start).</summary>
    public BasicAWSCredentials Credentials { get; }

    /// <summary>The id of the node process.</summary>
    public int ProcessId { get; private set; }

    /// <summary>Installs the pinned package on first use, starts the server and returns once it listens (buckets created).</summary>
    /// <exception cref="InvalidOperationException">node or npm is missing, <c>npm ci</c> failed, or the server exited during start-up
    /// (the message holds its output, e.g. a taken port).</exception>
    public static async Task<S3LocalEngine> StartAsync(S3LocalOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new S3LocalOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options));
        var engine = new S3LocalEngine(options);
        return await EngineStart.StartOrDisposeAsync(engine, engine.StartAsync, cancellationToken);
    }

    /// <summary>The folder with the pinned package, found from the repository root.</summary>
    public static string ResolvePackageFolder(string? folder = null) => folder ?? RepoPaths.Combine(DefaultPackageFolder);

    /// <summary>How a client reaches an S3-compatible endpoint such as this one: path-style, checksums only where S3 requires
    /// them (s3rver knows no trailing checksums).</summary>
    public static AmazonS3Config ClientConfig(string serviceUrl) => new()
    {
        ServiceURL = serviceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = Region,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    };

    /// <summary>A new client signed with <see cref="Credentials"/>. The caller disposes it.</summary>
    public AmazonS3Client CreateClient() => new(Credentials, ClientConfig(ServiceUrl));

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops the server, waits until it has exited (its port is free) and removes its objects.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        if (_server is not null)
        {
            try
            {
                _server.StandardInput.Close();
            }
            catch (IOException)
            {
                // Gone already.
            }

            if (!_server.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                _server.Kill(entireProcessTree: true);
                _server.WaitForExit(TimeSpan.FromSeconds(10));
            }

            _server.Dispose();
            _server = null;
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
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = ResolvePackageFolder(_options.PackageFolder);
        await NpmPackages.EnsureInstalledAsync(folder, Package, ignoreScripts: true, cancellationToken);
        var node = _options.Node ?? ProcessRunner.FindOnPath("node")
            ?? throw new InvalidOperationException($"`node` is not on PATH to run the local S3 server. {NpmPackages.NodeHint}");
        _scratch = Directory.CreateTempSubdirectory("s3-local-").FullName;

        var start = new ProcessStartInfo(node)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(Path.Combine(folder, "server.js"));
        start.Environment["S3_LOCAL_PORT"] = _options.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["S3_LOCAL_DIRECTORY"] = _scratch;
        start.Environment["S3_LOCAL_BUCKETS"] = string.Join(',', _options.Buckets);
        start.Environment["S3_LOCAL_ACCESS_KEY_ID"] = Credentials.GetCredentials().AccessKey;
        start.Environment["S3_LOCAL_SECRET_ACCESS_KEY"] = Credentials.GetCredentials().SecretKey;

        var server = new Process { StartInfo = start, EnableRaisingEvents = true };
        server.OutputDataReceived += (_, e) => OnOutput(e.Data);
        server.ErrorDataReceived += (_, e) => _recentOutput.Add(e.Data);
        server.Exited += (_, _) => _listening.TrySetResult(-1);
        try
        {
            server.Start();
        }
        catch (Win32Exception e)
        {
            server.Dispose();
            throw new InvalidOperationException($"Cannot run `{node}`: {e.Message}. {NpmPackages.NodeHint}", e);
        }

        _server = server;
        ProcessId = server.Id;
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();

        var port = await _listening.Task.WaitAsync(_options.StartTimeout, cancellationToken);
        if (port < 0)
        {
            server.WaitForExit();
            throw new InvalidOperationException(
                $"The local S3 server exited during start-up with code {server.ExitCode} (port {_options.Port}).\n{_recentOutput}");
        }

        Port = port;
    }

    private void OnOutput(string? line)
    {
        _recentOutput.Add(line);
        if (line is not null && Listening().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"^listening 127\.0\.0\.1:(\d+)$")]
    private static partial Regex Listening();
}
