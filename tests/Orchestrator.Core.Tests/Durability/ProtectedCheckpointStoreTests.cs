using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;
using Orchestrator.Durability.Testing;

namespace Orchestrator.Core.Tests.Durability;

/// <summary>The shared store behaviour holds through the protecting wrapper.</summary>
public class ProtectedCheckpointStoreBehaviourTests : CheckpointStoreBehaviourTests
{
    protected override ValueTask<ICheckpointStore?> CreateStoreAsync() =>
        ValueTask.FromResult<ICheckpointStore?>(new ProtectedCheckpointStore(new InMemoryCheckpointStore(), new AesTestProtector()));
}

/// <summary>Issue 12, secrets at rest: checkpoints kept inputs, literal parameters and raw outputs in clear.</summary>
public class ProtectedCheckpointStoreTests
{
    private const string Secret = "hunter2-s3cr3t";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCheckpointStore _inner = new();
    private readonly AesTestProtector _protector = new();
    private readonly ScriptedPluginExecutor _plugins = new ScriptedPluginExecutor()
        .On("vault.read", r => PluginResult.Ok(Json.Parse($$"""{ "token": "{{r.Parameters.GetProperty("key").GetString()}}" }""")))
        .On("api.call", r => PluginResult.Ok(r.Parameters.Clone()));

    private const string Workflow = """
        { "input_schema": [ { "name": "apiKey", "type": "string", "required": true } ],
          "workflow_steps": [
            { "id": "read", "type": "action", "plugin": "vault", "action": "read", "params": { "key": "{{input.apiKey}}" } },
            { "id": "review", "type": "human_approval", "approvers": ["ann"], "title": "Use {{read.data.token}}?", "dependencies": ["read"] },
            { "id": "call", "type": "action", "plugin": "api", "action": "call", "params": { "auth": "{{read.data.token}}" }, "dependencies": ["review"] } ],
          "output_schema": [ { "name": "auth", "source": "{{call.data.auth}}" } ] }
        """;

    private WorkflowOrchestrator CreateSut() =>
        new WorkflowOrchestratorBuilder(_plugins, new ScriptedLlmClient()).UseOptions(new WorkflowOrchestratorOptions { Memory = { Enabled = false } }).UseTimeProvider(_time).AddCheckpointStore(new ProtectedCheckpointStore(_inner, _protector)).Build();

    [Fact]
    public async Task ExecuteAsync_SecretInInputsAndStepData_StoreHoldsItOnlyProtectedAndTheRunResumes()
    {
        var suspended = await CreateSut().ExecuteAsync(Workflows.Load(Workflow), new WorkflowExecutionRequest { UserId = "u1", ExecutionId = "run-1", Inputs = Json.Parse($$"""{ "apiKey": "{{Secret}}" }""") });
        Assert.Equal(ExecutionStatus.Suspended, suspended.Status);

        var raw = await _inner.LoadAsync("run-1");
        Assert.NotNull(raw);
        Assert.DoesNotContain(Secret, raw.Run.Inputs.GetRawText(), StringComparison.Ordinal);
        Assert.All(raw.Steps, s =>
        {
            Assert.DoesNotContain(Secret, s.Data.ValueKind == System.Text.Json.JsonValueKind.Undefined ? string.Empty : s.Data.GetRawText(), StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, s.Approval?.Title ?? string.Empty, StringComparison.Ordinal);
        });
        Assert.Contains(raw.Steps, s => s.StepId == "read" && s.Data.TryGetProperty(ProtectedCheckpointStore.ProtectedProperty, out _));

        // Another orchestrator (a restarted host) with the same key resumes from the protected checkpoint.
        var resumer = CreateSut();
        await resumer.SubmitApprovalAsync(new ApprovalDecision { ExecutionId = "run-1", StepId = "review", Approver = "ann", Approved = true });
        var result = await resumer.ResumeAsync("run-1");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(Secret, result.Output.GetProperty("auth").GetString());
    }

    [Fact]
    public async Task LoadAsync_RunStoredInClearBeforeProtection_StillLoads()
    {
        await _inner.CreateRunAsync(new RunCheckpoint { ExecutionId = "old", DefinitionJson = "{}", DefinitionHash = "h", Inputs = Json.Parse("""{ "a": 1 }"""), UserId = "u1", CreatedAt = _time.GetUtcNow() });
        await _inner.AppendStepsAsync("old", [new StepCheckpoint { StepId = "s", Status = StepStatus.Succeeded, Data = Json.Parse("""{ "b": 2 }""") }]);

        var loaded = await new ProtectedCheckpointStore(_inner, _protector).LoadAsync("old");

        Assert.Equal(1, loaded!.Run.Inputs.GetProperty("a").GetInt32());
        Assert.Equal(2, loaded.Steps[0].Data.GetProperty("b").GetInt32());
    }

    [Fact]
    public async Task LoadAsync_WithAnotherKey_Throws()
    {
        var store = new ProtectedCheckpointStore(_inner, _protector);
        await store.CreateRunAsync(new RunCheckpoint { ExecutionId = "r", DefinitionJson = "{}", DefinitionHash = "h", Inputs = Json.Parse($$"""{ "k": "{{Secret}}" }"""), UserId = "u1", CreatedAt = _time.GetUtcNow() });

        await Assert.ThrowsAnyAsync<CryptographicException>(() => new ProtectedCheckpointStore(_inner, new AesTestProtector()).LoadAsync("r").AsTask());
    }
}

/// <summary>A real authenticated protector (AES-GCM, a random key per instance) for tests.</summary>
internal sealed class AesTestProtector : ICheckpointProtector
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Protect(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(output.AsSpan(0, 12), plain, output.AsSpan(28), output.AsSpan(12, 16));
        return Convert.ToBase64String(output);
    }

    public string Unprotect(string protectedText)
    {
        var input = Convert.FromBase64String(protectedText);
        var plain = new byte[input.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(input.AsSpan(0, 12), input.AsSpan(28), input.AsSpan(12, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
