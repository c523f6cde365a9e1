using IvsServerless.Api.Contracts;
using IvsServerless.Api.Errors;
using IvsServerless.Api.Stages;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;

namespace IvsServerless.Api.Replication;

/// <summary>
/// Cross-stage guests: a participant publishing on one stage is shown on another (IVS participant replication). The caller must
/// own or co-host both stages; a destination the caller may not see answers like a missing stage. IVS keeps the replications;
/// nothing is stored here (the replication events are projected into both stages' session history).
/// </summary>
public sealed class ReplicationService(StageAccess access, IParticipantReplication ivs)
{
    /// <summary>ReconnectWindowSeconds in the IVS model: 0 to 300.</summary>
    public const int MaxReconnectWindowSeconds = 300;

    public async Task<IvsParticipantReplica> StartAsync(Caller caller, string stageId, StartReplicationBody body, CancellationToken ct)
    {
        var participantId = ParticipantIdOf(body.ParticipantId, "participantId");
        var destinationId = StageIdOf(body.DestinationStageId);
        if (body.ReconnectWindowSeconds is < 0 or > MaxReconnectWindowSeconds)
        {
            throw RequestValidationException.Field("reconnectWindowSeconds", $"0 to {MaxReconnectWindowSeconds} seconds.");
        }

        var (source, destination) = await BothHostedAsync(caller, stageId, destinationId, ct);
        try
        {
            await ivs.StartReplicationAsync(source.StageArn, destination.StageArn, participantId, body.ReconnectWindowSeconds ?? 0, ct);
        }
        catch (IvsResourceNotFoundException)
        {
            throw new NotFoundException("participant-not-found", "The participant is not connected to the stage.");
        }
        catch (IvsConflictException e)
        {
            // IVS's reason (not publishing, a replica itself, already replicated there) names ids only.
            throw new StateConflictException("replication-conflict", "IVS refused the replication: " + e.Message);
        }
        catch (IvsQuotaExceededException)
        {
            throw new StateConflictException("ivs-quota-exceeded",
                "The destination stage is full: IVS allows 12 publishers per stage.");
        }

        return new IvsParticipantReplica(source.StageArn, participantId, null, destination.StageArn, null, "ACTIVE");
    }

    public async Task StopAsync(Caller caller, string stageId, string participantId, string? destinationStageId, CancellationToken ct)
    {
        var (source, destination) = await BothHostedAsync(caller, stageId, StageIdOf(destinationStageId), ct);
        try
        {
            await ivs.StopReplicationAsync(source.StageArn, destination.StageArn, participantId, ct);
        }
        catch (IvsResourceNotFoundException)
        {
            throw new NotFoundException("replication-not-found", "The participant is not being replicated to that stage.");
        }
    }

    /// <summary>The participant's replicas (IVS lists them per source participant), active and stopped; owner or co-host.</summary>
    public async Task<IReadOnlyList<IvsParticipantReplica>> ListAsync(
        Caller caller, string stageId, string? participantId, CancellationToken ct)
    {
        var id = ParticipantIdOf(participantId, "participantId");
        var stage = await HostedAsync(caller, stageId, ct);
        var all = new List<IvsParticipantReplica>();
        string? next = null;
        do
        {
            var page = await ivs.ListReplicasAsync(stage.StageArn, id, next, ct);
            all.AddRange(page.Items);
            next = page.NextCursor;
        }
        while (!string.IsNullOrEmpty(next) && all.Count < 500);

        return all;
    }

    /// <summary>The stage id of a destination stage ARN (what the API names it by).</summary>
    public static string StageIdOfArn(string arn) => arn[(arn.LastIndexOf('/') + 1)..];

    private async Task<(Stage Source, Stage Destination)> BothHostedAsync(
        Caller caller, string stageId, string destinationId, CancellationToken ct)
    {
        if (destinationId == stageId)
        {
            throw RequestValidationException.Field("destinationStageId", "The destination must be another stage.");
        }

        var source = await HostedAsync(caller, stageId, ct);
        var destination = await HostedAsync(caller, destinationId, ct);
        return (source, destination);
    }

    private async Task<Stage> HostedAsync(Caller caller, string stageId, CancellationToken ct)
    {
        var stage = await access.FindVisibleAsync(caller.UserId, stageId, ct);
        return stage.RoleOf(caller.UserId) is StageRole.Owner or StageRole.CoHost
            ? stage
            : throw new ForbiddenException("host-only", "Only the owner or a co-host of both stages may do this.");
    }

    private static string ParticipantIdOf(string? value, string field) =>
        value is { Length: > 0 and <= 64 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? value
            : throw RequestValidationException.Field(field, "A participant id is 1-64 letters, digits or '-'.");

    private static string StageIdOf(string? value) =>
        value is { Length: 12 } && value.All(char.IsAsciiLetterOrDigit)
            ? value
            : throw RequestValidationException.Field("destinationStageId", "A stage id is 12 letters or digits.");
}
