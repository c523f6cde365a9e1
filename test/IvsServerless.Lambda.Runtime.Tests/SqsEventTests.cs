using System.Text;
using IvsServerless.Lambda.Runtime.Sqs;

namespace IvsServerless.Lambda.Runtime.Tests;

/// <summary>The SQS payload types the batched ivs-events function reads and answers.</summary>
public sealed class SqsEventTests
{
    [Fact]
    public void An_sqs_batch_is_read_with_bodies_ids_and_receive_counts()
    {
        var payload = """
            {"Records":[
              {"messageId":"a","receiptHandle":"r","body":"{\"id\":\"e1\"}","attributes":{"ApproximateReceiveCount":"3"},
               "eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:q","awsRegion":"us-east-1"},
              {"messageId":"b","body":"{}","eventSource":"aws:sqs"}]}
            """;

        var sqs = SqsEvent.TryRead(Encoding.UTF8.GetBytes(payload));

        Assert.NotNull(sqs);
        Assert.Equal(["a", "b"], sqs.Records!.Select(r => r.MessageId));
        Assert.Equal("{\"id\":\"e1\"}", sqs.Records![0].Body);
        Assert.Equal((3, 1), (sqs.Records[0].ReceiveCount, sqs.Records[1].ReceiveCount));
    }

    [Theory]
    [InlineData("""{"version":"0","id":"e","detail-type":"IVS Stage Update","detail":{}}""")]
    [InlineData("""{"Records":[{"messageId":"a","body":"{}","eventSource":"aws:s3"}]}""")]
    [InlineData("""{"Records":[]}""")]
    [InlineData("""not json""")]
    public void Anything_else_is_not_an_sqs_batch(string payload) => Assert.Null(SqsEvent.TryRead(Encoding.UTF8.GetBytes(payload)));

    [Fact]
    public void The_answer_lists_the_failed_message_ids_under_batchItemFailures()
    {
        var json = Encoding.UTF8.GetString(new SqsBatchResponse([new("a"), new("c")]).ToUtf8Bytes());

        Assert.Equal("""{"batchItemFailures":[{"itemIdentifier":"a"},{"itemIdentifier":"c"}]}""", json);
        Assert.Equal(["a", "c"], SqsBatchResponse.Read(Encoding.UTF8.GetBytes(json)).BatchItemFailures.Select(f => f.ItemIdentifier));
    }
}
