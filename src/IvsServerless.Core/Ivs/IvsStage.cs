using IvsServerless.Core.Stages;

namespace IvsServerless.Core.Ivs;

/// <summary>
/// A stage as IVS reports it (not the backend's <see cref="Stage"/> record). <see cref="Endpoints"/> is null unless IVS
/// returned both the events and the WHIP endpoint.
/// </summary>
public sealed record IvsStage(string Arn, string? ActiveSessionId = null, StageEndpoints? Endpoints = null);

/// <summary>One entry of the IVS stage list: the tags say which deployment owns it.</summary>
public sealed record IvsStageSummary(string Arn, string? ActiveSessionId, IReadOnlyDictionary<string, string> Tags);
