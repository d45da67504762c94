namespace AuthPlatform.Domain.Common;

/// <summary>
/// Something that happened to an aggregate, in the past tense. Raised by the aggregate's own
/// behaviour methods; the Application dispatches it when the change is saved (audit trail,
/// cache eviction, extensions). Never carries a secret.
/// </summary>
public interface IDomainEvent;

/// <summary>An aggregate root: the one entry point that changes its children and raises its events.</summary>
public abstract class AggregateRoot
{
    private readonly List<IDomainEvent> _domainEvents = [];

    /// <summary>Events raised since the aggregate was loaded or last saved.</summary>
    public IReadOnlyCollection<IDomainEvent> DomainEvents => _domainEvents;

    /// <summary>Hands over the raised events once, for dispatch.</summary>
    public IReadOnlyList<IDomainEvent> DequeueDomainEvents()
    {
        var events = _domainEvents.ToArray();
        _domainEvents.Clear();
        return events;
    }

    protected void Raise(IDomainEvent domainEvent) => _domainEvents.Add(domainEvent);
}
