using IvsServerless.Core.Ivs;
using IvsServerless.Core.Paging;
using IvsServerless.Core.Stages;

namespace IvsServerless.Core.Tests.Stages;

public sealed class StageEndpointResolverTests
{
    private static readonly StageEndpoints Endpoints = new("wss://events", "https://whip");

    private static Stage StageWith(StageEndpoints? endpoints) =>
        new(
            "s1", "arn:aws:ivs:us-east-1:123456789012:stage/s1", "show", "alice", StageVisibility.Public, new HashSet<string>(),
            new HashSet<string>(),
            DateTimeOffset.UnixEpoch, Endpoints: endpoints);

    [Fact]
    public async Task A_stage_with_endpoints_is_returned_as_is_without_asking_IVS()
    {
        var stage = StageWith(Endpoints);
        var ivs = new Provisioning(_ => throw new InvalidOperationException("IVS must not be asked."));

        Assert.Same(stage, await new StageEndpointResolver(new OneStageStore(stage), ivs).WithEndpointsAsync(stage, default));
    }

    [Fact]
    public async Task A_stage_without_endpoints_reads_them_from_IVS_once_and_stores_them()
    {
        var stage = StageWith(null);
        var store = new OneStageStore(stage);
        var ivs = new Provisioning(arn => new IvsStage(arn, null, Endpoints));

        var resolved = await new StageEndpointResolver(store, ivs).WithEndpointsAsync(stage, default);

        Assert.Equal(Endpoints, resolved.Endpoints);
        Assert.Equal(stage.Version + 1, resolved.Version);
        Assert.Equal(resolved, store.Stage);
        Assert.Equal([stage.StageArn], ivs.Asked);
    }

    [Fact]
    public async Task A_lost_race_skips_the_write_but_still_returns_the_endpoints()
    {
        var stage = StageWith(null);
        var store = new OneStageStore(stage) { Conflict = true };

        var resolved = await new StageEndpointResolver(
            store, new Provisioning(arn => new IvsStage(arn, null, Endpoints))).WithEndpointsAsync(stage, default);

        Assert.Equal(stage with { Endpoints = Endpoints }, resolved);
        Assert.Null(store.Stage.Endpoints);
    }

    [Fact]
    public async Task A_stage_gone_from_IVS_is_not_found_and_one_without_endpoints_is_an_error()
    {
        var stage = StageWith(null);
        await Assert.ThrowsAsync<IvsResourceNotFoundException>(() => new StageEndpointResolver(new OneStageStore(stage),
            new Provisioning(_ => throw new IvsResourceNotFoundException("gone"))).WithEndpointsAsync(stage, default));
        await Assert.ThrowsAsync<InvalidOperationException>(() => new StageEndpointResolver(new OneStageStore(stage),
            new Provisioning(arn => new IvsStage(arn))).WithEndpointsAsync(stage, default));
    }

    /// <summary>Only GetStage: the resolver reads, never creates, renames or deletes.</summary>
    private sealed class Provisioning(Func<string, IvsStage> get) : IStageProvisioning
    {
        public List<string> Asked { get; } = [];

        public Task<IvsStage> GetStageAsync(string stageArn, CancellationToken cancellationToken)
        {
            Asked.Add(stageArn);
            return Task.FromResult(get(stageArn));
        }

        public Task<IvsStage> CreateStageAsync(
            string name, IReadOnlyDictionary<string, string> tags, RecordingTarget? recording, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task SetRecordingAsync(string stageArn, RecordingTarget? recording, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task RenameStageAsync(string stageArn, string name, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<bool> DeleteStageIfExistsAsync(string stageArn, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private sealed class OneStageStore(Stage stage) : IStageStore
    {
        public Stage Stage { get; private set; } = stage;

        public bool Conflict { get; init; }

        public Task UpdateAsync(Stage updated, CancellationToken cancellationToken)
        {
            if (Conflict || updated.Version != Stage.Version + 1)
            {
                throw new StageConflictException("changed");
            }

            Stage = updated;
            return Task.CompletedTask;
        }

        public Task<Stage?> FindAsync(string stageId, CancellationToken cancellationToken) => Task.FromResult<Stage?>(Stage);

        public Task AddAsync(Stage stage, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<Page<Stage>> ListOwnedByAsync(string ownerId, PageRequest page, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public Task<Page<Stage>> ListLivePublicAsync(PageRequest page, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
