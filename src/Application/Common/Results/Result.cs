namespace AuthPlatform.Application.Common.Results;

/// <summary>Lets pipeline behaviours build a failed result of any response type.</summary>
public interface IResult<out TSelf>
    where TSelf : IResult<TSelf>
{
    bool IsSuccess { get; }

    /// <summary>
    /// True when the command failed but what it recorded must still be committed: a failed
    /// login's counter and audit event, a reuse detection's revocation. Otherwise a failed
    /// command leaves the database as it was.
    /// </summary>
    bool KeepsChanges { get; }

    Error? Error { get; }

    static abstract TSelf Failure(Error error);
}

/// <summary>The outcome of a use case: a value, or an expected error with a stable code.</summary>
public readonly record struct Result<T> : IResult<Result<T>>
{
    private readonly T? _value;

    private Result(T? value, Error? error, bool keepsChanges)
    {
        _value = value;
        Error = error;
        KeepsChanges = keepsChanges;
    }

    public bool IsSuccess => Error is null;

    public bool KeepsChanges { get; }

    public Error? Error { get; }

    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"A failed result has no value ({Error!.Code}).");

    public static Result<T> Success(T value) => new(value, null, false);

    public static Result<T> Failure(Error error) => new(default, error, false);

    /// <summary>A failure whose recorded side effects (counters, audit, revocation) are committed.</summary>
    public static Result<T> Refused(Error error) => new(default, error, true);

    public static implicit operator Result<T>(T value) => Success(value);

    public static implicit operator Result<T>(Error error) => Failure(error);
}

/// <summary>The value of a use case that answers nothing but success.</summary>
public readonly record struct Done
{
    public static Done Value => default;
}
