using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Diagnostics;

/// <summary>
/// The stable codes of <see cref="WorkflowDiagnostic"/>. Codes never change meaning once shipped:
/// <c>ORC0xx</c> are found while loading the JSON, <c>ORC1xx</c> while planning.
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>The document is not well-formed JSON.</summary>
    public const string MalformedJson = "ORC001";

    /// <summary>A step's <c>type</c> is not one of the known step types.</summary>
    public const string UnknownStepType = "ORC002";

    /// <summary>A required field is missing.</summary>
    public const string MissingField = "ORC003";

    /// <summary>A field has a value of the wrong JSON type or outside its allowed values.</summary>
    public const string InvalidValue = "ORC004";

    /// <summary>A reference, template or condition expression is malformed.</summary>
    public const string InvalidExpression = "ORC005";

    /// <summary>A field is not part of the format (a typo, or data a newer version understands); it is ignored. A warning.</summary>
    public const string UnknownField = "ORC006";

    /// <summary>The document is neither an agent record nor a list of steps, or <c>workflow_steps</c> is not a list.</summary>
    public const string InvalidDocument = "ORC007";

    /// <summary>
    /// A stored form the loader normalised (an alias such as <c>operation</c> for <c>action</c>, a legacy entry, an inline
    /// branch body). Information: nothing is wrong, it says what was understood; saving writes the canonical form.
    /// </summary>
    public const string NormalisedForm = "ORC008";

    /// <summary>A step gives a field twice under two names (such as <c>action</c> and <c>operation</c>) with different values.</summary>
    public const string ConflictingAlias = "ORC009";

    /// <summary>
    /// A field stored documents use to change what runs (such as <c>output_variable</c> or a condition's
    /// <c>conditionType</c>) that this version does not act on: refused, since running without it would run something else.
    /// </summary>
    public const string UnsupportedField = "ORC010";

    /// <summary>Two steps share an id.</summary>
    public const string DuplicateStepId = "ORC100";

    /// <summary>A step depends on a step id that does not exist.</summary>
    public const string UnknownDependency = "ORC101";

    /// <summary>A reference names a step that does not exist.</summary>
    public const string UnknownStepReference = "ORC102";

    /// <summary>Steps depend on each other in a cycle, so none of them can start.</summary>
    public const string DependencyCycle = "ORC103";

    /// <summary>A reference reads an input that <c>input_schema</c> does not declare.</summary>
    public const string UndeclaredInput = "ORC104";

    /// <summary>A conditional branch or switch case names a step that does not exist.</summary>
    public const string UnknownBranchTarget = "ORC105";

    /// <summary>A loop has no steps to run.</summary>
    public const string EmptyLoopBody = "ORC106";

    /// <summary>A scatter-gather has no steps to run per item.</summary>
    public const string EmptyScatterBody = "ORC107";

    /// <summary>An action names a plugin the host's catalog does not describe.</summary>
    public const string UnknownPlugin = "ORC108";

    /// <summary>An action names an action its plugin does not have.</summary>
    public const string UnknownAction = "ORC109";

    /// <summary>An action omits a parameter the catalog marks required.</summary>
    public const string MissingParameter = "ORC110";

    /// <summary>An action passes a parameter the catalog does not describe. A warning.</summary>
    public const string UnknownParameter = "ORC111";

    /// <summary>A reference names a step or variable that exists but cannot be read from where the reference is (for example a loop's inner step from outside the loop).</summary>
    public const string ReferenceOutOfScope = "ORC112";

    /// <summary>A branching step targets itself. (A step may be the target of several branching steps: it runs when any selects it.)</summary>
    public const string ConflictingBranchTarget = "ORC113";

    /// <summary>A setting has a value that cannot work (a zero concurrency limit, a negative delay, a sub-workflow without a workflow, ...).</summary>
    public const string InvalidSetting = "ORC114";

    /// <summary>Two inputs or two output fields share a name.</summary>
    public const string DuplicateName = "ORC115";

    /// <summary>An input or output declares a type that is not a known type name. A warning.</summary>
    public const string UnknownValueType = "ORC116";

    /// <summary>A parallel group has no steps. A warning.</summary>
    public const string EmptyParallelGroup = "ORC117";

    /// <summary>The document is over one of the <see cref="Execution.ExecutionLimits"/> (nesting depth, delay, timeout); the message names the limit.</summary>
    public const string LimitExceeded = "ORC118";

    /// <summary>The host's plugin catalog threw while the planner checked a step's plugin; the step cannot be checked.</summary>
    public const string CatalogError = "ORC119";

    /// <summary>An <c>output_variable</c> has the name of a step id, an input or another output variable.</summary>
    public const string OutputVariableClash = "ORC130";

    /// <summary>A reference reads a step's data without saying <c>data</c> (<c>{{step1.emails}}</c> for <c>{{step1.data.emails}}</c>). Information.</summary>
    public const string ImplicitDataReference = "ORC131";

    /// <summary>A reference reads a path of a step's data that the step's <c>output_schema</c> does not declare. A warning.</summary>
    public const string PathNotInOutputSchema = "ORC132";

    /// <summary>
    /// A step passes a plugin action an argument its contract refuses (a wrong type, a value outside an enum, a name the
    /// contract forbids), as checked by a catalog that implements <see cref="IPluginArgumentValidator"/>.
    /// </summary>
    public const string InvalidArgument = "ORC133";
}
