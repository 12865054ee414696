using System.Text.Json;
using Orchestrator.Core.Durability;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Tests.TestSupport;

namespace Orchestrator.Core.Tests.Durability;

/// <summary>Step records are stored as JSON by the SQLite and PostgreSQL stores: the form is pinned, and old records stay readable.</summary>
public class CheckpointJsonTests
{
    /// <summary>A record as this version writes it; a change that breaks reading stored checkpoints fails here.</summary>
    private const string StoredRecord = """{"stepId":"decide","status":"Succeeded","data":{"result":true,"note":"café"},"chosenTargets":["yes"],"attempts":2,"executedAt":"2026-11-24T09:00:01.5+00:00","executionTime":"00:00:00.0125000","itemCount":3,"cacheHit":true,"model":"m","inputTokens":100,"outputTokens":20,"llmCalls":2}""";

    [Fact]
    public void Serialize_AFullRecord_WritesThePinnedForm()
    {
        var record = new StepCheckpoint
        {
            StepId = "decide",
            Status = StepStatus.Succeeded,
            Data = Json.Parse("""{ "result": true, "note": "café" }"""),
            ChosenTargets = ["yes"],
            Attempts = 2,
            ExecutedAt = new DateTimeOffset(2026, 11, 24, 9, 0, 1, 500, TimeSpan.Zero),
            ExecutionTime = TimeSpan.FromMilliseconds(12.5),
            ItemCount = 3,
            CacheHit = true,
            Model = "m",
            InputTokens = 100,
            OutputTokens = 20,
            LlmCalls = 2,
        };

        Assert.Equal(StoredRecord, CheckpointJson.Serialize(record));
    }

    [Fact]
    public void DeserializeStep_AStoredRecord_ReadsEveryField()
    {
        var record = CheckpointJson.DeserializeStep(StoredRecord);

        Assert.Equal("decide", record.StepId);
        Assert.Equal(StepStatus.Succeeded, record.Status);
        Assert.Equal("café", record.Data.GetProperty("note").GetString());
        Assert.Equal(["yes"], record.ChosenTargets);
        Assert.Equal(TimeSpan.FromMilliseconds(12.5), record.ExecutionTime);
        Assert.Equal(2, record.LlmCalls);
        Assert.Null(record.Approval);
    }

    [Fact]
    public void Serialize_ASucceededRecordWithDefaults_StillWritesItsStatus()
    {
        var json = CheckpointJson.Serialize(new StepCheckpoint { StepId = "a", Status = StepStatus.Succeeded });

        Assert.Equal("""{"stepId":"a","status":"Succeeded"}""", json);
        Assert.Equal(StepStatus.Succeeded, CheckpointJson.DeserializeStep(json).Status);
    }

    [Fact]
    public void DeserializeStep_ARecordWithoutAStatus_Throws() =>
        Assert.Throws<JsonException>(() => CheckpointJson.DeserializeStep("""{"stepId":"a"}"""));

    [Fact]
    public void Serialize_AnApprovalRequest_RoundTrips()
    {
        var record = new StepCheckpoint
        {
            StepId = "review",
            Status = StepStatus.Suspended,
            Approval = new ApprovalCheckpoint(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero), Escalated: true, "Send?", null),
        };

        Assert.Equal(record.Approval, CheckpointJson.DeserializeStep(CheckpointJson.Serialize(record)).Approval);
    }
}
