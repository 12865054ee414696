using System.Text.Json;
using Orchestrator.Core.Auditing;

namespace Orchestrator.Core.Tests.Auditing;

/// <summary>The public <see cref="AuditRedaction"/> applies the audit trail's rules to values shown elsewhere.</summary>
public sealed class AuditRedactionRedactTests
{
    [Fact]
    public void Redact_SecretKeysAtAnyDepth_AreReplaced()
    {
        var value = JsonDocument.Parse("""{ "customer": "Ada", "api_token": "t", "nested": [ { "password": "p", "input_tokens": 5 } ] }""").RootElement;

        var redacted = AuditRedaction.Redact(value).GetRawText();

        Assert.Equal("""{"customer":"Ada","api_token":"[REDACTED]","nested":[{"password":"[REDACTED]","input_tokens":5}]}""", redacted);
    }

    [Fact]
    public void Redact_KeysListedInTheOptions_AreReplacedToo()
    {
        var options = new AuditOptions();
        options.RedactedKeys.Add("customer_email");
        var value = JsonDocument.Parse("""{ "customer_email": "ada@example.org", "tier": "gold" }""").RootElement;

        Assert.Equal("""{"customer_email":"[REDACTED]","tier":"gold"}""", AuditRedaction.Redact(value, options).GetRawText());
        Assert.Equal(value.GetRawText(), AuditRedaction.Redact(value).GetRawText());
    }
}
