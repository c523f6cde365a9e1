using System.Collections.ObjectModel;

namespace IvsServerless.IvsRealTime;

// The tag operations bind the ARN to the URL path (and UntagResource its keys to the query), so these request
// records are never serialized whole: the client builds the path, query and body itself.

public sealed record TagResourceRequest
{
    public required string ResourceArn { get; init; }

    /// <summary>Merged with the resource's existing tags (at most 50 in total).</summary>
    public required IReadOnlyDictionary<string, string> Tags { get; init; }
}

public sealed record TagResourceResponse;

public sealed record UntagResourceRequest
{
    public required string ResourceArn { get; init; }

    /// <summary>Keys that are not on the resource are ignored.</summary>
    public required IReadOnlyList<string> TagKeys { get; init; }
}

public sealed record UntagResourceResponse;

public sealed record ListTagsForResourceRequest
{
    public required string ResourceArn { get; init; }
}

public sealed record ListTagsForResourceResponse
{
    public IReadOnlyDictionary<string, string> Tags { get => field ?? ReadOnlyDictionary<string, string>.Empty; init; }
}

/// <summary>The JSON body of TagResource: only the tags, the ARN travels in the path.</summary>
internal sealed record TagResourceBody(IReadOnlyDictionary<string, string> Tags);
