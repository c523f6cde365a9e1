using BenchmarkDotNet.Attributes;
using IvsServerless.Benchmarks.Support;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Benchmarks.HandlerOverhead;

/// <summary>
/// The HTTP API handler on in-memory fakes, called with an event already in bytes (as the runtime has it):
/// only the project's own work — parsing, authorization, policy, JSON — is measured, with allocations.
/// </summary>
[MemoryDiagnoser]
public class HandlerOverheadCases
{
    private readonly LambdaContext _context = new() { AwsRequestId = "benchmark", Deadline = DateTimeOffset.MaxValue };
    private ApiUnderTest _api = null!;
    private byte[] _mintToken = [];
    private byte[] _getStage = [];
    private byte[] _createStage = [];

    [GlobalSetup]
    public void Setup()
    {
        _api = ApiUnderTest.InMemory();
        var stageId = _api.CreateStageAsync("owner-1", CancellationToken.None).GetAwaiter().GetResult();
        _mintToken = BootstrapVariant.Event(Requests.MintToken(stageId, "viewer-1"));
        _getStage = BootstrapVariant.Event(Requests.GetStage(stageId, "viewer-1"));
        _createStage = BootstrapVariant.Event(Requests.CreateStage("owner-2"));
    }

    [GlobalCleanup]
    public void Cleanup() => _api.Dispose();

    [Benchmark]
    public Task<ReadOnlyMemory<byte>> MintToken() => _api.Handler.HandleAsync(_mintToken, _context, CancellationToken.None);

    [Benchmark]
    public Task<ReadOnlyMemory<byte>> GetStage() => _api.Handler.HandleAsync(_getStage, _context, CancellationToken.None);

    [Benchmark]
    public Task<ReadOnlyMemory<byte>> CreateStage() => _api.Handler.HandleAsync(_createStage, _context, CancellationToken.None);
}
