using System.Collections.Concurrent;
using System.Security.Cryptography;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Tokens;

namespace IvsServerless.Testing.ApiSupport;

/// <summary>
/// The two IVS ports the API's stage and token paths use (stage provisioning, participant-token issuing) in memory, for
/// measuring or testing the project's own code without the emulator's HTTP hop and ES384 signing. The token is random
/// opaque text, not a JWT.
/// </summary>
public sealed class InMemoryIvs(string region = "us-east-1", string accountId = "123456789012") : IStageProvisioning,
    IParticipantTokenIssuer
{
    private readonly ConcurrentDictionary<string, (string Name, IReadOnlyDictionary<string, string> Tags)> _stages = new(
        StringComparer.Ordinal);

    public int StageCount => _stages.Count;

    public Task<IvsStage> CreateStageAsync(string name, IReadOnlyDictionary<string, string> tags, RecordingTarget? recording,
        CancellationToken cancellationToken)
    {
        var arn = $"arn:aws:ivs:{region}:{accountId}:stage/{RandomId(12)}";
        _stages[arn] = (name, tags);
        return Task.FromResult(new IvsStage(arn));
    }

    public Task<IvsStage> GetStageAsync(string stageArn, CancellationToken cancellationToken)
    {
        Find(stageArn);
        return Task.FromResult(new IvsStage(stageArn));
    }

    public Task RenameStageAsync(string stageArn, string name, CancellationToken cancellationToken)
    {
        _stages[stageArn] = Find(stageArn) with { Name = name };
        return Task.CompletedTask;
    }

    public Task SetRecordingAsync(string stageArn, RecordingTarget? recording, CancellationToken cancellationToken)
    {
        Find(stageArn);
        return Task.CompletedTask;
    }

    public Task<bool> DeleteStageIfExistsAsync(string stageArn, CancellationToken cancellationToken) =>
        Task.FromResult(_stages.TryRemove(stageArn, out _));

    public Task<IssuedParticipantToken> CreateParticipantTokenAsync(string stageArn, TokenGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        Find(stageArn);
        return Task.FromResult(new IssuedParticipantToken(RandomId(64), RandomId(12), DateTimeOffset.UtcNow.Add(grant.Duration)));
    }

    private (string Name, IReadOnlyDictionary<string, string> Tags) Find(string arn) =>
        _stages.TryGetValue(arn, out var stage) ? stage : throw new IvsResourceNotFoundException($"Stage {arn} not found.");

    private static string RandomId(int length) =>
        RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);
}
