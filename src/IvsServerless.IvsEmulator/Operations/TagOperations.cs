using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>TagResource, UntagResource, ListTagsForResource on <c>/tags/{resourceArn}</c>, for every taggable resource.</summary>
public static class TagOperations
{
    public const int MaxTagsPerResource = 50;
    private const string ResourceArnText = "arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+";

    public static void Register(OperationTable table)
    {
        table.Add("TagResource", TagResource);
        table.Add("UntagResource", UntagResource);
        table.Add("ListTagsForResource", ListTagsForResource);
    }

    private static object TagResource(OperationContext context, RequestReader input)
    {
        var arn = ReadResourceArn(context, input);
        var tags = input.Tags();
        if (tags is null)
        {
            input.Fail("tags", null, "Member must not be null");
        }

        input.ThrowIfInvalid();

        var resource = Find(context, arn!);
        var merged = resource.Tags.Keys.Union(tags!.Keys, StringComparer.Ordinal).Count();
        if (merged > MaxTagsPerResource)
        {
            throw IvsException.Validation(
                $"A resource can have at most {MaxTagsPerResource} tags; this request would leave {arn} with {merged}.");
        }

        foreach (var (key, value) in tags)
        {
            resource.Tags[key] = value;
        }

        return EmptyResponse.Instance;
    }

    private static object UntagResource(OperationContext context, RequestReader input)
    {
        var arn = ReadResourceArn(context, input);
        var keys = input.ExternalList(
            "tagKeys", context.TagKeys, required: true, minItems: 1, maxItems: MaxTagsPerResource, itemMin: 1, itemMax: 128);
        input.ThrowIfInvalid();

        // Keys the resource does not have are ignored: untagging is idempotent.
        var resource = Find(context, arn!);
        foreach (var key in keys!)
        {
            resource.Tags.Remove(key);
        }

        return EmptyResponse.Instance;
    }

    private static object ListTagsForResource(OperationContext context, RequestReader input)
    {
        var arn = ReadResourceArn(context, input);
        input.ThrowIfInvalid();
        return new { tags = Find(context, arn!).Tags };
    }

    private static string? ReadResourceArn(OperationContext context, RequestReader input) =>
        input.External("resourceArn", context.ResourceArn, required: true, min: 1, max: 128, Patterns.ResourceArn(), ResourceArnText);

    /// <summary>A well-formed ARN of something that does not exist (or no longer does) is 404.</summary>
    private static ITaggable Find(OperationContext context, string arn) =>
        context.State.Taggable.TryGetValue(arn, out var resource) ? resource : throw IvsException.NotFound($"Resource {arn} not found");
}
