using System.Text;
using IvsServerless.Infrastructure.Live;
using IvsServerless.Live.Streams;

namespace IvsServerless.Live.Tests;

public sealed class StreamEventTests
{
    [Fact]
    public void A_lambda_stream_event_reads_as_changes_with_every_attribute_type()
    {
        var payload = """
            {"Records":[{"eventID":"1","eventName":"MODIFY","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1",
              "dynamodb":{"ApproximateCreationDateTime":1.7E9,"Keys":{"PK":{"S":"STAGE#a"},"SK":{"S":"STAGE"}},
                "OldImage":{"PK":{"S":"STAGE#a"},"SK":{"S":"STAGE"},"n":{"N":"1"}},
                "NewImage":{"PK":{"S":"STAGE#a"},"SK":{"S":"STAGE"},"n":{"N":"2"},"b":{"BOOL":true},"ss":{"SS":["x","y"]},
                  "m":{"M":{"k":{"NULL":true}}},"l":{"L":[{"S":"v"}]},"bin":{"B":"AQI="}},
                "SequenceNumber":"4200","SizeBytes":59,"StreamViewType":"NEW_AND_OLD_IMAGES"},
              "eventSourceARN":"arn:aws:dynamodb:us-east-1:1:table/t/stream/2026"},
             {"eventName":"REMOVE","dynamodb":{"OldImage":{"PK":{"S":"STAGE#a"},"SK":{"S":"STAGE"}},"SequenceNumber":"4300"}}]}
            """;

        var records = StreamEvent.Parse(Encoding.UTF8.GetBytes(payload));

        Assert.Equal(["4200", "4300"], records.Select(r => r.SequenceNumber));
        var modify = records[0].Change;
        Assert.Equal(ChangeKind.Modify, modify.Kind);
        Assert.Equal(("STAGE#a", "STAGE"), (modify.PartitionKey, modify.SortKey));
        Assert.Equal("1", modify.OldImage!["n"].N);
        Assert.Equal("2", modify.NewImage!["n"].N);
        Assert.True(modify.NewImage["b"].BOOL);
        Assert.Equal(["x", "y"], modify.NewImage["ss"].SS);
        Assert.True(modify.NewImage["m"].M["k"].NULL);
        Assert.Equal("v", modify.NewImage["l"].L[0].S);
        Assert.Equal([1, 2], modify.NewImage["bin"].B.ToArray());
        Assert.Equal(ChangeKind.Remove, records[1].Change.Kind);
        Assert.Null(records[1].Change.NewImage);
        Assert.Equal("STAGE#a", records[1].Change.PartitionKey);
    }

    [Fact]
    public void The_batch_response_names_the_first_failure_or_nothing()
    {
        Assert.Equal("""{"batchItemFailures":[]}""", Encoding.UTF8.GetString(StreamEvent.BatchResponse(null)));
        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"42"}]}""", Encoding.UTF8.GetString(StreamEvent.BatchResponse("42")));
    }

    [Fact]
    public void Something_else_is_refused()
    {
        Assert.Throws<FormatException>(() => StreamEvent.Parse("""{"detail-type":"Scheduled Event"}"""u8));
    }
}
