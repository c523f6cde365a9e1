using System.Text.Json;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.Reconciler;

/// <summary>
/// The scheduled reconciler function (EventBridge schedule, every minute; the event itself carries nothing we need).
/// Works until the Lambda deadline minus a margin, then answers with the run's report.
/// </summary>
public sealed class ReconcilerHandler(ReconcilerService service, ReconcilerOptions options) : ILambdaHandler
{
    public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var report = await service.RunAsync(context.AwsRequestId, context.RemainingTime - options.DeadlineMargin, context.Logger, ct);
        context.Logger.Log(LambdaLogLevel.Information, "Reconciler run finished",
            new("ran", report.Ran),
            new("cycleCompleted", report.CycleCompleted),
            new("outOfTime", report.OutOfTime),
            new("stagesOfThisDeployment", report.StagesOfThisDeployment),
            new("liveStages", report.LiveStages),
            new("sessionsClosed", report.SessionsClosed),
            new("publishStatesChecked", report.PublishStatesChecked),
            new("publishStatesRepaired", report.PublishStatesRepaired),
            new("idleStagesDeleted", report.IdleStagesDeleted),
            new("orphansDeleted", report.OrphansDeleted),
            new("ghostRecordsMarked", report.GhostRecordsMarked),
            new("compositionsRepaired", report.CompositionsRepaired),
            new("stagesFailed", report.StagesFailed));
        return JsonSerializer.SerializeToUtf8Bytes(report, ReconcilerJsonContext.Default.ReconcileReport);
    }
}
