using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SseFlights.Tests.Support;

/// <summary>One event the log's messages make, and its bytes on the wire (LF line endings).</summary>
internal sealed record ModelEvent(long Id, string Type, string Data)
{
    public string Bytes => $"event: {Type}\n{string.Concat(Data.Split('\n').Select(l => l.Length == 0 ? "data:\n" : $"data: {l}\n"))}id: {Id}\n\n";
}

/// <summary>
/// What a live log must become, worked out in the test from the messages alone, independently of the
/// server: which messages are events (with their sequence as id), which are refused and why not, and
/// the board after each event. Only the shapes the tests publish are modelled: the three board events,
/// one custom event <c>note</c>, the close, drops, resets, live-only frames, malformed JSON and unknown events.
/// </summary>
internal sealed class LogModel
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly List<Dictionary<string, string>> _initial;
    private readonly List<ModelEvent> _events = [];
    private readonly Dictionary<long, List<Dictionary<string, string>>> _boards = [];
    private List<Dictionary<string, string>> _board;
    private bool _closed;

    /// <param name="scenarioJson">The replicas' scenario: its flights are the board at the start and after each reset.</param>
    public LogModel(string scenarioJson, IEnumerable<(long Sequence, byte[] Body)> messages)
    {
        _initial = BoardClient.Rows(JsonDocument.Parse(scenarioJson).RootElement.GetProperty("flights"));
        _board = Copy(_initial);
        _boards[0] = Copy(_board);
        foreach (var (sequence, body) in messages)
        {
            Apply(sequence, body);
        }
    }

    public IReadOnlyList<ModelEvent> Events => _events;

    /// <summary>The sequences of messages the replicas must refuse.</summary>
    public List<long> Refused { get; } = [];

    public List<Dictionary<string, string>> FinalBoard => Copy(_board);

    public ModelEvent? Close => _events.LastOrDefault(e => e.Type == "closedConnection");

    /// <summary>The board once every event up to <paramref name="id"/> has been applied.</summary>
    public List<Dictionary<string, string>> BoardAt(long id) => Copy(_boards[_boards.Keys.Where(k => k <= id).Max()]);

    /// <summary>The first event after <paramref name="id"/>, or null.</summary>
    public ModelEvent? After(long id) => _events.FirstOrDefault(e => e.Id > id);

    public ModelEvent? At(long id) => _events.FirstOrDefault(e => e.Id == id);

    /// <summary>What a replica resends to a client resuming after <paramref name="id"/> once the board has closed: every event after it, the close last.</summary>
    public string ResentAfter(long id) => string.Concat(_events.Where(e => e.Id > id).Select(e => e.Bytes));

    /// <summary>The <c>snapshot</c> event's data for a board, as the server writes it.</summary>
    public static string SnapshotData(IEnumerable<Dictionary<string, string>> board) =>
        "{\"flights\":[" + string.Join(",", board.Select(r => "{" + string.Join(",", new[] { "flight", "origin", "arrival", "state" }.Select(k => $"\"{k}\":{JsonSerializer.Serialize(r[k], Relaxed)}")) + "}")) + "]}";

    private void Apply(long sequence, byte[] body)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            Refused.Add(sequence);
            return;
        }

        if (root.TryGetProperty("action", out var action))
        {
            if (action.GetString() == "reset")
            {
                _board = Copy(_initial);
                _closed = false;
                Add(new ModelEvent(sequence, "snapshot", SnapshotData(_board)));
            }

            return;
        }

        if (!root.TryGetProperty("event", out var name))
        {
            return;
        }

        string type = name.GetString()!;
        if (type is not ("flightStateUpdate" or "flightAddition" or "flightRemoval" or "note" or "closedConnection"))
        {
            Refused.Add(sequence);
            return;
        }

        if (_closed)
        {
            return;
        }

        string data = !root.TryGetProperty("data", out var value) ? "" : value.ValueKind == JsonValueKind.String ? value.GetString()! : JsonSerializer.Serialize(value, Relaxed);
        if (type is "flightStateUpdate" or "flightAddition" or "flightRemoval")
        {
            bool onBoard = _board.Any(r => r["flight"] == value.GetProperty("flight").GetString());
            if (onBoard == (type == "flightAddition"))
            {
                Refused.Add(sequence);
                return;
            }

            BoardClient.ApplyBoardEvent(_board, type, data);
        }

        _closed = type == "closedConnection";
        Add(new ModelEvent(sequence, type, data));
    }

    private void Add(ModelEvent model)
    {
        _events.Add(model);
        _boards[model.Id] = Copy(_board);
    }

    private static List<Dictionary<string, string>> Copy(List<Dictionary<string, string>> board) => [.. board.Select(r => new Dictionary<string, string>(r))];

    /// <summary>A board as one line, for messages.</summary>
    public static string Describe(IEnumerable<Dictionary<string, string>> board) => SnapshotData(board);
}
