using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Auditing;

public class AuditRedactionTests
{
    private const string Redacted = "[REDACTED]";
    private readonly InMemoryAuditSink _sink = new();
    private readonly ScriptedPluginExecutor _plugins = new ScriptedPluginExecutor()
        .On("crm.login", """{ "ok": true }""")
        .On("crm.echo", r => PluginResult.Ok(r.Parameters));

    private static readonly InMemoryPluginCatalog Catalog = new(
    [
        new PluginDescriptor
        {
            Name = "crm",
            Actions =
            [
                new PluginActionDescriptor
                {
                    Name = "login",
                    Parameters =
                    [
                        new PluginParameterDescriptor { Name = "user", Required = true },
                        new PluginParameterDescriptor { Name = "pin", Required = true, Sensitive = true },
                    ],
                },
                new PluginActionDescriptor
                {
                    Name = "echo",
                    Parameters = [new PluginParameterDescriptor { Name = "note" }, new PluginParameterDescriptor { Name = "input_tokens" }, new PluginParameterDescriptor { Name = "headers" }],
                },
            ],
        },
    ]);

    private WorkflowOrchestrator CreateSut(WorkflowOrchestratorOptions? options = null) =>
        AuditTestKit.CreateSut(_plugins, [_sink], new FakeTimeProvider(), options, catalog: Catalog);

    private static JsonElement Inputs(AuditEvent started) => started.Details.GetProperty("inputs");

    private const string Secrets = """
        { "password": "hunter2", "api_key": "sk-1", "Authorization": "Bearer abc", "customer": "ann",
          "input_tokens": 120, "max_tokens": 400,
          "nested": { "access_token": "tok-9", "deeper": [ { "refresh_token": "r-1", "plain": "visible" } ] } }
        """;

    [Fact]
    public async Task ExecuteAsync_InputsWithSecrets_RedactedInExecutionStartedCountsKept()
    {
        var result = await CreateSut().ExecuteAsync(
            Workflows.Load("""{ "id": "wf", "workflow_steps": [ { "id": "a", "type": "action", "plugin": "crm", "action": "login", "params": { "user": "ann", "pin": "1234" } } ] }"""),
            AuditTestKit.Request(Secrets));

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var inputs = Inputs(_sink.Events[0]);
        Assert.Equal(Redacted, inputs.GetProperty("password").GetString());
        Assert.Equal(Redacted, inputs.GetProperty("api_key").GetString());
        Assert.Equal(Redacted, inputs.GetProperty("Authorization").GetString());
        Assert.Equal(Redacted, inputs.GetProperty("nested").GetProperty("access_token").GetString());
        Assert.Equal(Redacted, inputs.GetProperty("nested").GetProperty("deeper")[0].GetProperty("refresh_token").GetString());
        Assert.Equal("visible", inputs.GetProperty("nested").GetProperty("deeper")[0].GetProperty("plain").GetString());
        Assert.Equal("ann", inputs.GetProperty("customer").GetString());
        Assert.Equal(120, inputs.GetProperty("input_tokens").GetInt32());
        Assert.Equal(400, inputs.GetProperty("max_tokens").GetInt32());
        foreach (var secret in new[] { "hunter2", "sk-1", "Bearer abc", "tok-9", "r-1", "1234" })
        {
            Assert.All(_sink.Events, e => Assert.DoesNotContain(secret, e.Details.GetRawText(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task ExecuteAsync_CatalogSensitiveParameter_RedactedInStepExecutedDetailsPluginStillGetsIt()
    {
        await CreateSut().ExecuteAsync(
            Workflows.Load("""{ "id": "wf", "workflow_steps": [ { "id": "a", "type": "action", "plugin": "crm", "action": "login", "params": { "user": "ann", "pin": "1234" } } ] }"""),
            AuditTestKit.Request());

        var executed = Assert.Single(_sink.Events, e => e.Kind == AuditEventKind.StepExecuted);
        var parameters = executed.Details.GetProperty("parameters");
        Assert.Equal(Redacted, parameters.GetProperty("pin").GetString());
        Assert.Equal("ann", parameters.GetProperty("user").GetString());
        Assert.Equal("1234", _plugins.Calls.Single().Parameters.GetProperty("pin").GetString());
    }

    [Fact]
    public async Task ExecuteAsync_ParameterFromASecretInput_RedactedByKeyInStepDetails()
    {
        await CreateSut().ExecuteAsync(
            Workflows.Load("""{ "id": "wf", "workflow_steps": [ { "id": "a", "type": "action", "plugin": "crm", "action": "echo", "params": { "note": "hi", "input_tokens": 5, "headers": { "x-api-key": "{{input.api_key}}" } } } ] }"""),
            AuditTestKit.Request(Secrets));

        var parameters = Assert.Single(_sink.Events, e => e.Kind == AuditEventKind.StepExecuted).Details.GetProperty("parameters");
        Assert.Equal(Redacted, parameters.GetProperty("headers").GetProperty("x-api-key").GetString());
        Assert.Equal("hi", parameters.GetProperty("note").GetString());
        Assert.Equal(5, parameters.GetProperty("input_tokens").GetInt32());
    }

    [Fact]
    public async Task ExecuteAsync_ExtraRedactedKeys_RedactedCaseInsensitivelyAsWholeKeys()
    {
        var options = new WorkflowOrchestratorOptions();
        options.Audit.RedactedKeys.Add("SSN");
        options.Audit.RedactedKeys.Add("iban");

        await CreateSut(options).ExecuteAsync(
            Workflows.Load("""{ "id": "wf", "workflow_steps": [ { "id": "a", "type": "action", "plugin": "crm", "action": "login", "params": { "user": "ann", "pin": "1" } } ] }"""),
            AuditTestKit.Request("""{ "ssn": "123-45", "customer": { "IBAN": "DE00" }, "ssn_hint": "kept", "note": "kept" }"""));

        var inputs = Inputs(_sink.Events[0]);
        Assert.Equal(Redacted, inputs.GetProperty("ssn").GetString());
        Assert.Equal(Redacted, inputs.GetProperty("customer").GetProperty("IBAN").GetString());
        Assert.Equal("kept", inputs.GetProperty("ssn_hint").GetString());
        Assert.Equal("kept", inputs.GetProperty("note").GetString());
    }

    [Theory]
    [InlineData("password")]
    [InlineData("db_password")]
    [InlineData("Password")]
    [InlineData("client_secret")]
    [InlineData("api_key")]
    [InlineData("apiKey")]
    [InlineData("x-api-key")]
    [InlineData("Authorization")]
    [InlineData("proxy-authorization")]
    [InlineData("access_token")]
    [InlineData("refresh_token")]
    [InlineData("idToken")]
    [InlineData("token")]
    [InlineData("credentials")]
    [InlineData("Cookie")]
    [InlineData("private_key")]
    [InlineData("session_id")]
    [InlineData("cookies")]
    [InlineData("Set-Cookie")]
    [InlineData("api_keys")]
    [InlineData("proxy_authorization_header")]
    [InlineData("passphrase")]
    [InlineData("private_keys")]
    public void IsSecretKey_SecretNames_True(string key)
    {
        Assert.True(new AuditRedactor([], null).IsSecretKey(key));
    }

    [Theory]
    [InlineData("input_tokens")]
    [InlineData("output_tokens")]
    [InlineData("max_tokens")]
    [InlineData("total_tokens")]
    [InlineData("tokens_used")]
    [InlineData("customer")]
    [InlineData("user")]
    [InlineData("key_outcomes")]
    [InlineData("author")]
    [InlineData("session")]
    [InlineData("token_count")]
    public void IsSecretKey_OrdinaryNames_False(string key)
    {
        Assert.False(new AuditRedactor([], null).IsSecretKey(key));
    }

    [Fact]
    public void Redact_NoSecret_SameValueReturned()
    {
        var value = Json.Parse("""{ "a": 1, "b": [ { "c": "d" } ], "input_tokens": 3 }""");

        var redacted = new AuditRedactor([], null).Redact(value);

        Assert.Equal(value.GetRawText(), redacted.GetRawText());
    }

    [Theory]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("[1, \"password\"]")]
    public void Redact_NonObjectValues_Unchanged(string json)
    {
        var value = Json.Parse(json);

        Assert.Equal(value.GetRawText(), new AuditRedactor([], null).Redact(value).GetRawText());
    }

    [Fact]
    public void Redact_EmptyObjectsBesideASecret_SecretStillRedactedEmptyObjectsKept()
    {
        // An object without properties needs nothing redacted; one that holds empty objects and a secret still does.
        var redactor = new AuditRedactor([], null);

        Assert.Equal("{ }", redactor.Redact(Json.Parse("{ }")).GetRawText()); // The same value, as it came.
        Assert.Equal(
            """{"a":{},"b":[{}],"api_key":"[REDACTED]"}""",
            redactor.Redact(Json.Parse("""{ "a": {}, "b": [ {} ], "api_key": "sk-1" }""")).GetRawText());
    }

    [Fact]
    public void Redact_SecretHoldingAnObject_WholeValueReplaced()
    {
        var redacted = new AuditRedactor([], null).Redact(Json.Parse("""{ "credentials": { "user": "ann", "pin": 1 }, "keep": true }"""));

        Assert.Equal("""{"credentials":"[REDACTED]","keep":true}""", redacted.GetRawText());
    }

    [Fact]
    public void RedactParameters_UnknownPluginOrAction_OnlyKeyRulesApply()
    {
        var redactor = new AuditRedactor([], Catalog);
        var parameters = Json.Parse("""{ "pin": "1234", "password": "x" }""");

        var redacted = redactor.RedactParameters(parameters, "crm", "other");

        Assert.Equal("1234", redacted.GetProperty("pin").GetString());
        Assert.Equal(Redacted, redacted.GetProperty("password").GetString());
    }
}
