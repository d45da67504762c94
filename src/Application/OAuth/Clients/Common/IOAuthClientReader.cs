namespace AuthPlatform.Application.OAuth.Clients.Common;

/// <summary>Reads clients for listing, without tracking and never with a secret's hash.</summary>
public interface IOAuthClientReader
{
    /// <summary>The clients of <paramref name="ownerId"/>, or everyone's when null; newest first.</summary>
    Task<IReadOnlyList<OAuthClientResponse>> ListAsync(Guid? ownerId, CancellationToken cancellationToken);

    /// <summary>The names of the clients with these public ids (<c>oc_…</c>); ids of no client are left out.</summary>
    Task<IReadOnlyDictionary<string, string>> NamesAsync(IReadOnlyCollection<string> clientIds, CancellationToken cancellationToken);
}
