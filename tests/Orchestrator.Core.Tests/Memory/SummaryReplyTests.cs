using System.Text.Json;
using Orchestrator.Core.Execution.Handlers;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Memory;

namespace Orchestrator.Core.Tests.Memory;

public class SummaryReplyTests
{
    /// <summary>Replies the reader must read as a parsed document and property lookups did (the way it was read before).</summary>
    public static TheoryData<string> Replies => new()
    {
        """{ "summary": "Sent.", "sentiment": "positive", "key_outcomes": ["a", "b"], "patterns_detected": [], "suggestions": ["c"] }""",
        "```json\n{ \"summary\": \"Fenced.\", \"suggestions\": [\"x\"] }\n```",
        "Here it is:\n```\n{ \"summary\": \"After a sentence.\" }\n```",
        """{ "summary": "first", "summary": "last wins", "sentiment": "negative", "sentiment": 3 }""",
        """{ "summary": "string first", "summary": { "not": "a string" } }""",
        """{ "summary": 5 }""",
        """{ "summary": null }""",
        """{ "Summary": "case matters" }""",
        """{ "\u0073ummary": "escaped name", "key_outcomes": ["\u00e9t\u00e9", "line\nbreak"] }""",
        """{ "summar\u0079": "every name escaped", "\u0073entiment": "neutral", "key\u005Foutcomes": ["k"], "patterns\u005fdetected": ["p"], "\u0073\u0075\u0067\u0067\u0065\u0073\u0074\u0069\u006f\u006e\u0073": ["s"] }""",
        """{ "summary": "long escaped names", "\u0073\u0075\u006d\u006d\u0061\u0072\u0079\u0073\u0075\u006d\u006d\u0061\u0072\u0079\u0073\u0075\u006d\u006d": 1, "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9": 2 }""",
        """{ "summary": "items", "key_outcomes": [1, 2.50, true, false, null, "", "text", [1, [2]], { "k": "v" }] }""",
        """{ "summary": "lists of other types", "key_outcomes": "no", "patterns_detected": {}, "suggestions": 7 }""",
        """{ "other": { "deep": [1, 2, { "x": [] }] }, "summary": "after an unknown field" }""",
        """{ "summary": "trailing text" } and more""",
        """{ "summary": "trailing comma", }""",
        """{ "summary": "comment" /* no */ }""",
        """{ "summary": "not closed" """,
        """["summary", "an array"]""",
        """  { "summary": "leading white space is not JSON here" }""",
        """plain text""",
        "",
        """{ "summary": "deep", "other": """ + new string('[', 70) + new string(']', 70) + " }",
        """{ "summary": "just deep enough", "other": """ + new string('[', 63) + new string(']', 63) + " }",
        """{ "summary": "long" , "key_outcomes": [""" + string.Join(", ", Enumerable.Range(0, 300).Select(i => $"\"outcome {i} with ünïcode\"")) + "] }",
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void TryRead_AnyReply_ReadsAsTheParsedDocumentDid(string reply)
    {
        var expected = ReadWithDocument(reply);

        var read = SummaryReply.TryRead(reply, out var fields);

        Assert.Equal(expected is not null, read);
        if (expected is { } want)
        {
            Assert.Equal(want.Summary, fields.Summary);
            Assert.Equal(want.Sentiment, fields.Sentiment);
            Assert.Equal(want.KeyOutcomes, fields.KeyOutcomes);
            Assert.Equal(want.PatternsDetected, fields.PatternsDetected);
            Assert.Equal(want.Suggestions, fields.Suggestions);
        }
    }

    [Fact]
    public void TryRead_ItemsOfEveryKind_NonStringsKeptAsTheirJsonTextEmptyAndNullDropped()
    {
        var read = SummaryReply.TryRead("""{ "summary": "s", "key_outcomes": [1, 2.50, true, null, "", "text", [1, [2]], { "k": "v" }] }""", out var fields);

        Assert.True(read);
        Assert.Equal(["1", "2.50", "true", "text", "[1,[2]]", """{"k":"v"}"""], fields.KeyOutcomes);
    }

    [Fact]
    public void TryRead_FieldNamedTwice_LastValueCountsEvenWhenItIsNotAString()
    {
        Assert.False(SummaryReply.TryRead("""{ "summary": "kept?", "summary": 1 }""", out _));
        Assert.True(SummaryReply.TryRead("""{ "summary": 1, "summary": "kept", "sentiment": "neutral", "sentiment": [] }""", out var fields));
        Assert.Equal("kept", fields.Summary);
        Assert.Null(fields.Sentiment);
    }

    [Fact]
    public void TryRead_NestedPastTheDepthLimitOrFollowedByText_IsNotTheSummary()
    {
        Assert.False(SummaryReply.TryRead("""{ "summary": "s", "x": """ + new string('[', 100) + new string(']', 100) + " }", out _));
        Assert.False(SummaryReply.TryRead("""{ "summary": "s" } {}""", out _));
    }

    /// <summary>The reading this replaced: a parsed document searched field by field.</summary>
    private static SummaryReply.Fields? ReadWithDocument(string reply)
    {
        JsonElement? parsed;
        try
        {
            parsed = LlmHandler.TryParseJson(reply);
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (parsed is not { ValueKind: JsonValueKind.Object } json || !json.TryGetProperty("summary", out var summary) || summary.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return new SummaryReply.Fields(
            summary.GetString()!,
            json.TryGetProperty("sentiment", out var sentiment) && sentiment.ValueKind == JsonValueKind.String ? sentiment.GetString() : null,
            Strings(json, "key_outcomes"),
            Strings(json, "patterns_detected"),
            Strings(json, "suggestions"));
    }

    private static string[] Strings(JsonElement reply, string name) =>
        reply.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Select(JsonValues.ToText).Where(text => text.Length > 0)]
            : [];
}
