namespace IvsServerless.Core.Ivs;

/// <summary>Acting on a connected participant (the API's participant service).</summary>
public interface IParticipantControl
{
    /// <summary>
    /// Disconnects the participant; their token stays valid. <see cref="IvsResourceNotFoundException"/> when the
    /// participant (or stage) is not known to IVS.
    /// </summary>
    Task DisconnectAsync(string stageArn, string participantId, string? reason, CancellationToken cancellationToken);
}
