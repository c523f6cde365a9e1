namespace IvsServerless.Core.Stages;

/// <summary>
/// The endpoints IVS gives a stage (<c>stage.endpoints</c> of CreateStage / GetStage): a self-signed participant
/// token must carry them as <c>events_url</c> and <c>whip_url</c>. IVS allows caching them for up to 14 days; they
/// do not change for the life of a stage, so the stage record keeps them.
/// </summary>
public sealed record StageEndpoints(string Events, string Whip);
