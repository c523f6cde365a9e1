using System.Security.Cryptography;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IvsServerless.Local;
using Xunit;

namespace IvsServerless.Testing;

/// <summary>
/// DynamoDB Local for tests: xunit lifetimes and per-class tables over <see cref="DynamoDbLocalEngine"/> (the launcher the
/// local host uses too, in src/IvsServerless.Local), on a free port, reached on 127.0.0.1.
/// </summary>
/// <remarks>
/// Usually one engine per test process: <see cref="GetSharedAsync"/>, or the <see cref="SharedDynamoDbLocal"/> /
/// <see cref="DynamoDbTableFixture"/> class fixtures built on it. A new instance owns its own JVM and can be an
/// xunit collection fixture as it is. See README.md beside this file.
/// </remarks>
public sealed class DynamoDbLocal : IAsyncLifetime, IDisposable
{
    /// <summary>The folder, relative to the repository root, whose package-lock.json pins the engine.</summary>
    public const string PackageFolder = DynamoDbLocalEngine.DefaultPackageFolder;

    private static readonly Lazy<Task<DynamoDbLocal>> SharedInstance = new(StartSharedAsync);

    private bool _isShared;
    private int _stopped;
    private DynamoDbLocalEngine? _engine;

    /// <summary>How long the JVM may take to answer its first ListTables.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public int Port => _engine?.Port ?? 0;

    /// <summary>The endpoint for AWS SDK clients, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string ServiceUrl => Engine.ServiceUrl;

    /// <summary>
    /// The process-wide engine, started on first use and stopped when the process exits.
    /// Disposing it is a no-op: other test classes are still using it.
    /// </summary>
    public static Task<DynamoDbLocal> GetSharedAsync() => SharedInstance.Value;

    /// <summary>A new client for this engine (dummy credentials, us-east-1). The caller disposes it.</summary>
    public AmazonDynamoDBClient CreateClient() => Engine.CreateClient();

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

        await Engine.CreateTableAsync(request, cancellationToken);
        return name;
    }

    public async Task InitializeAsync()
    {
        ObjectDisposedException.ThrowIf(_stopped != 0, this);
        _engine ??= await DynamoDbLocalEngine.StartAsync(new DynamoDbLocalOptions { StartTimeout = StartTimeout });
    }

    public Task DisposeAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Stops the JVM, waits until it has exited (its port is free) and removes its scratch folder. No-op for the shared
    /// engine.</summary>
    public void Dispose()
    {
        if (!_isShared)
        {
            Stop();
        }
    }

    private DynamoDbLocalEngine Engine =>
        _engine ?? throw new InvalidOperationException("DynamoDB Local is not started; call InitializeAsync first.");

    private static async Task<DynamoDbLocal> StartSharedAsync()
    {
        var shared = new DynamoDbLocal { _isShared = true };
        // xunit 2 has no assembly-wide fixture, so process exit is the one moment every test class is done with it.
        // vstest may kill the test host before this handler finishes; on Unix the engine's watchdog covers that.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => shared.Stop();
        await shared.InitializeAsync();
        return shared;
    }

    private void Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _engine?.Dispose();
        }
    }
}
