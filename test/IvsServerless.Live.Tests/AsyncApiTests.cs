using IvsServerless.Core.Live;

namespace IvsServerless.Live.Tests;

/// <summary>asyncapi.yaml and the message types in code describe the same messages, member for member.</summary>
public sealed class AsyncApiTests
{
    private static readonly string[] Lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "asyncapi.yaml"));

    [Fact]
    public void The_document_is_asyncapi_3()
    {
        Assert.Equal("asyncapi: 3.0.0", Lines[0]);
    }

    [Fact]
    public void The_document_lists_exactly_the_message_types_in_code()
    {
        var documented = DocumentedMessages().Keys.Where(k => k != "request").Order(StringComparer.Ordinal);
        Assert.Equal(LiveMessage.Types.Order(StringComparer.Ordinal), documented);
    }

    [Fact]
    public void Every_message_documents_exactly_the_members_it_serializes()
    {
        var documented = DocumentedMessages();
        foreach (var type in typeof(LiveMessage).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(LiveMessage)) && !t.IsAbstract))
        {
            var name = (string)type.GetField("Type")!.GetValue(null)!;
            var info = LiveJsonContext.Default.GetTypeInfo(type)!;
            var members = info.Properties.Select(p => p.Name).Append("type").Order(StringComparer.Ordinal);
            Assert.Equal(members, documented[name].Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void The_request_message_documents_the_members_the_server_reads()
    {
        var members = LiveJsonContext.Default.LiveRequest.Properties.Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(members, DocumentedMessages()["request"].Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_error_codes_documented_are_the_codes_in_code()
    {
        var line = Lines.Single(l => l.TrimStart().StartsWith("code: { type: string, enum: [", StringComparison.Ordinal));
        var codes = line[(line.IndexOf('[', StringComparison.Ordinal) + 1)..line.IndexOf(']', StringComparison.Ordinal)]
            .Split(',', StringSplitOptions.TrimEntries);
        Assert.Equal(LiveErrorCodes.All.Order(StringComparer.Ordinal), codes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_message_that_is_serialized_names_its_type()
    {
        var json = System.Text.Encoding.UTF8.GetString(
            Notifier.LiveNotifier.Serialize(new Kicked("AbCdEf123456", 7, "p-1", null)));
        Assert.Equal("""{"type":"kicked","participantId":"p-1","stageId":"AbCdEf123456","version":7}""", json);
    }

    // A deliberately tiny reader: `  messages:` under `components:`, message keys indented 4, their payload's
    // `properties:` keys indented 10.
    private static Dictionary<string, List<string>> DocumentedMessages()
    {
        var messages = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var start = Array.IndexOf(Lines, "components:");
        var inMessages = false;
        List<string>? current = null;
        var inProperties = false;
        foreach (var line in Lines.Skip(start + 1))
        {
            if (line == "  messages:")
            {
                inMessages = true;
                continue;
            }

            if (!inMessages)
            {
                continue;
            }

            var indent = line.Length - line.TrimStart().Length;
            if (indent == 4 && line.TrimEnd().EndsWith(':'))
            {
                current = messages[line.Trim().TrimEnd(':')] = [];
                inProperties = false;
            }
            else if (indent == 8)
            {
                inProperties = line.Trim() == "properties:";
            }
            else if (indent == 10 && inProperties && current is not null)
            {
                current.Add(line.Trim()[..line.Trim().IndexOf(':', StringComparison.Ordinal)]);
            }
            else if (indent < 8)
            {
                inProperties = false;
            }
        }

        return messages;
    }

}
