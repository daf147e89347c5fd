using SseFlights.Board;
using SseFlights.Scenario;

namespace SseFlights.Tests.Unit;

public class FlightBoardTests
{
    private static readonly Flight Rome = new("I768", "Rome", "10:10", "");
    private static readonly Flight Oslo = new("K321", "Oslo", "11:00", "scheduled");
    private static readonly Flight Tokyo = new("G119", "Tokyo", "10:35", "");

    [Test]
    public void Apply_Addition_JoinsAtTheEnd()
    {
        var board = new FlightBoard([Rome, Tokyo]);

        board.Apply(EntryKind.Addition, new FlightChange("K321", "Oslo", "11:00", "scheduled"));

        Assert.That(board.Rows, Is.EqualTo(new[] { Rome, Tokyo, Oslo }));
    }

    [Test]
    public void Apply_Removal_TakesOnlyThatRowAndKeepsTheOrder()
    {
        var board = new FlightBoard([Rome, Oslo, Tokyo]);

        board.Apply(EntryKind.Removal, new FlightChange("K321", null, null, null));

        Assert.That(board.Rows, Is.EqualTo(new[] { Rome, Tokyo }));
    }

    [Test]
    public void Apply_StateUpdate_ChangesOnlyTheFieldsGivenInPlace()
    {
        var board = new FlightBoard([Rome, Tokyo]);

        board.Apply(EntryKind.StateUpdate, new FlightChange("I768", null, "10:02", "landed"));

        Assert.That(board.Rows, Is.EqualTo(new[] { Rome with { Arrival = "10:02", State = "landed" }, Tokyo }));
    }

    [Test]
    public void Apply_StateUpdateWithOrigin_ReplacesTheOrigin()
    {
        var board = new FlightBoard([Rome]);

        board.Apply(EntryKind.StateUpdate, new FlightChange("I768", "Roma Fiumicino", null, "landing"));

        Assert.That(board.Rows, Is.EqualTo(new[] { new Flight("I768", "Roma Fiumicino", "10:10", "landing") }));
    }

    [Test]
    public void Reset_AfterChanges_IsTheGivenFlightsAgain()
    {
        var board = new FlightBoard([Rome, Tokyo]);
        board.Apply(EntryKind.Removal, new FlightChange("I768", null, null, null));
        board.Apply(EntryKind.Addition, new FlightChange("K321", "Oslo", "11:00", "scheduled"));

        board.Reset([Rome, Tokyo]);

        Assert.That(board.Rows, Is.EqualTo(new[] { Rome, Tokyo }));
    }

    [Test]
    public void Copy_IsNotChangedByLaterEvents()
    {
        var board = new FlightBoard([Rome]);
        var copy = board.Copy();

        board.Apply(EntryKind.StateUpdate, new FlightChange("I768", null, null, "landed"));
        board.Apply(EntryKind.Addition, new FlightChange("K321", "Oslo", "11:00", "scheduled"));

        Assert.That(copy, Is.EqualTo(new[] { Rome }));
    }
}
