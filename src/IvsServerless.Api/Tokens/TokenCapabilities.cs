using IvsServerless.Core.Tokens;

namespace IvsServerless.Api.Tokens;

internal static class TokenCapabilities
{
    public static List<string> Names(ParticipantCapabilities capabilities)
    {
        var list = new List<string>(2);
        if (capabilities.HasFlag(ParticipantCapabilities.Publish))
        {
            list.Add("PUBLISH");
        }

        if (capabilities.HasFlag(ParticipantCapabilities.Subscribe))
        {
            list.Add("SUBSCRIBE");
        }

        return list;
    }
}
