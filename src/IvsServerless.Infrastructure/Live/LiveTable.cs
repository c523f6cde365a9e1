using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace IvsServerless.Infrastructure.Live;

/// <summary>What live updates need of the table besides its layout: a stream with both images of every change.</summary>
public static class LiveTable
{
    public static StreamSpecification Stream => new() { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES };
}
