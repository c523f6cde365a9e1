using System.Text.Json.Nodes;

namespace IvsServerless.LocalBus.Tests;

/// <summary>The documented EventBridge matching semantics, one rule per test.</summary>
public class EventPatternTests
{
    private const string Ec2Event = """
        {
          "version": "0", "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
          "detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2",
          "account": "111122223333", "time": "2017-12-22T18:43:48Z", "region": "us-west-1",
          "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
          "detail": { "instance-id": "i-1234567890abcdef0", "state": "terminated", "c-count": 5, "d-count": 3.0, "flag": true, "note": null }
        }
        """;

    private static bool Match(string pattern, string json = Ec2Event) => EventPattern.Parse(pattern).Matches(JsonNode.Parse(json));

    [Theory]
    [InlineData("""{"source":["aws.ec2"]}""", true)]
    [InlineData("""{"source":["aws.ec2","aws.fargate"]}""", true)] // OR within a field
    [InlineData("""{"source":["aws.fargate"]}""", false)]
    [InlineData("""{"source":["AWS.EC2"]}""", false)] // case-sensitive
    [
        InlineData(
        """{"source":["aws.ec2"],"detail-type":["EC2 Instance State-change Notification"],"detail":{"state":["terminated"]}}""", true)]
    [InlineData("""{"source":["aws.ec2"],"detail":{"state":["running"]}}""", false)] // AND across fields
    [InlineData("""{"detail":{"missing":["x"]}}""", false)] // every pattern field must be in the event
    [InlineData("""{"source":{"nested":["x"]}}""", false)] // nesting must agree
    [InlineData("""{"detail":{"c-count":[5]}}""", true)]
    [InlineData("""{"detail":{"d-count":[3]}}""", true)] // numbers by value
    [InlineData("""{"detail":{"c-count":["5"]}}""", false)] // a string is not a number
    [InlineData("""{"detail":{"flag":[true]}}""", true)]
    [InlineData("""{"detail":{"flag":[false]}}""", false)]
    [InlineData("""{"detail":{"note":[null]}}""", true)]
    [InlineData("""{"detail":{"state":[null]}}""", false)]
    public void Exact_values(string pattern, bool matches) => Assert.Equal(matches, Match(pattern));

    [Theory]
    [InlineData("""{"resources":["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"]}""", true)]
    [InlineData("""{"resources":["arn:other","arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"]}""", true)]
    [InlineData("""{"resources":["arn:other"]}""", false)]
    [InlineData("""{"resources":[{"prefix":"arn:aws:ec2:"}]}""", true)]
    public void An_array_in_the_event_matches_when_the_intersection_is_not_empty(string pattern, bool matches) =>
        Assert.Equal(matches, Match(pattern));

    [Theory]
    [InlineData("""{"time":[{"prefix":"2017-12-22"}]}""", true)]
    [InlineData("""{"time":[{"prefix":"2017-10-02"}]}""", false)]
    [InlineData("""{"detail":{"c-count":[{"prefix":"5"}]}}""", false)] // prefix is for strings only
    public void Prefix(string pattern, bool matches) => Assert.Equal(matches, Match(pattern));

    [Theory]
    [InlineData("""{"detail":{"state":[{"anything-but":"initializing"}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":"terminated"}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"anything-but":["stopped","overloaded"]}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":["stopped","terminated"]}]}}""", false)]
    [InlineData("""{"detail":{"c-count":[{"anything-but":123}]}}""", true)]
    [InlineData("""{"detail":{"c-count":[{"anything-but":[5,6]}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"prefix":"term"}}]}}""", false)]
    [InlineData("""{"detail":{"missing":[{"anything-but":"x"}]}}""", false)] // needs the field
    public void Anything_but(string pattern, bool matches) => Assert.Equal(matches, Match(pattern));

    [Theory]
    [InlineData("""{"detail":{"state":[{"exists":true}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"exists":false}]}}""", false)]
    [InlineData("""{"detail":{"missing":[{"exists":false}]}}""", true)]
    [InlineData("""{"detail":{"missing":[{"exists":true}]}}""", false)]
    [InlineData("""{"detail":[{"exists":true}]}""", false)] // exists sees leaves only, not objects
    [InlineData("""{"detail":{"missing":["x",{"exists":false}]}}""", true)] // OR with the other values
    [InlineData("""{"nothing":{"here":[{"exists":false}]}}""", true)] // paths under a missing object are absent
    [InlineData("""{"nothing":{"here":[{"exists":true}]}}""", false)]
    [InlineData("""{"source":{"here":[{"exists":false}]}}""", true)] // a string has no fields below it
    public void Exists(string pattern, bool matches) => Assert.Equal(matches, Match(pattern));

    [Theory]
    [InlineData("""{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}""", true)]
    [InlineData("""{"detail":{"c-count":[{"numeric":[">",0,"<",5]}]}}""", false)]
    [InlineData("""{"detail":{"c-count":[{"numeric":["=",5]}]}}""", true)]
    [InlineData("""{"detail":{"d-count":[{"numeric":[">=",3.0]}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"numeric":[">",0]}]}}""", false)] // numbers only
    public void Numeric(string pattern, bool matches) => Assert.Equal(matches, Match(pattern));

    [Fact]
    public void Matches_utf8_bytes_and_refuses_anything_that_is_not_an_object()
    {
        var pattern = EventPattern.Parse("""{"source":["aws.ec2"]}""");
        Assert.True(pattern.Matches(System.Text.Encoding.UTF8.GetBytes(Ec2Event)));
        Assert.False(pattern.Matches("[1]"u8));
        Assert.False(pattern.Matches("not json"u8));
        Assert.False(pattern.Matches((JsonNode?)null));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("{}", "empty objects")]
    [InlineData("""{"source":"aws.ivs"}""", "$.source: a field's value must be an array")]
    [InlineData("""{"source":[]}""", "empty arrays")]
    [InlineData("""{"source":[["aws.ivs"]]}""", "nested arrays")]
    [InlineData("""{"detail":{}}""", "$.detail: empty objects")]
    [InlineData("""{"source":[{"suffix":".ivs"}]}""", "unsupported content filter 'suffix'")]
    [InlineData("""{"source":[{"prefix":"a","exists":true}]}""", "exactly one key")]
    [InlineData("""{"source":[{"prefix":1}]}""", "prefix takes a string")]
    [InlineData("""{"source":[{"exists":"yes"}]}""", "exists must be true or false")]
    [InlineData("""{"source":[{"anything-but":["a",1]}]}""", "only strings or only numbers")]
    [InlineData("""{"source":[{"anything-but":[]}]}""", "anything-but takes")]
    [InlineData("""{"source":[{"anything-but":{"suffix":"x"}}]}""", "anything-but takes")]
    [InlineData("""{"n":[{"numeric":[">"]}]}""", "numeric takes")]
    [InlineData("""{"n":[{"numeric":["~",1]}]}""", "numeric operator must be one of")]
    [InlineData("""{"n":[{"numeric":[">","1"]}]}""", "followed by a number")]
    [InlineData("""{"n":[{"numeric":["=",1,"<",2]}]}""", "cannot be combined")]
    public void Invalid_patterns_are_argument_exceptions_that_say_why(string pattern, string reason)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => EventPattern.Parse(pattern));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keeps_its_text()
    {
        const string text = """{"source":["aws.ivs"]}""";
        Assert.Equal(text, EventPattern.Parse(text).Text);
    }
}
