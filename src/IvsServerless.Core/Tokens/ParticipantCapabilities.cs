namespace IvsServerless.Core.Tokens;

/// <summary>What a participant token allows, as IVS models it.</summary>
[Flags]
public enum ParticipantCapabilities
{
    None = 0,
    Subscribe = 1,
    Publish = 2,
    PublishAndSubscribe = Publish | Subscribe,
}
