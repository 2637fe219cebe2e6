"""Commerce errors: one hierarchy, each with a stable ``code`` and the HTTP status it maps to.

LanternError
└── CommerceError                 (COMMERCE_ERROR, 500)
    ├── CatalogueInvalid          (CATALOGUE_INVALID, 422: a catalogue file is malformed)
    ├── OfferNotFound             (OFFER_NOT_FOUND, 404)
    ├── OrderNotFound             (ORDER_NOT_FOUND, 404)
    ├── UnknownLandmark           (UNKNOWN_LANDMARK, 422: a search's `near` names no landmark)
    ├── NotYourOrder              (NOT_YOUR_ORDER, 403)
    ├── InvalidQuantity           (INVALID_QUANTITY, 422)
    ├── PartySizeNotAllowed       (PARTY_SIZE, 422)
    ├── OutOfStock                (OUT_OF_STOCK, 409)
    ├── MerchantClosed            (CLOSED, 409)
    ├── InvalidOrderState         (INVALID_STATE, 409)
    ├── IdempotencyConflict       (IDEMPOTENCY_CONFLICT, 409)
    └── PaymentFailed             (PAYMENT_FAILED, 402: the campaign engine refused;
                                   nothing was charged, the order is cancelled)
"""

from __future__ import annotations

from lantern.errors import LanternError

__all__ = [
    "CatalogueInvalid",
    "CommerceError",
    "IdempotencyConflict",
    "InvalidOrderState",
    "InvalidQuantity",
    "MerchantClosed",
    "NotYourOrder",
    "OfferNotFound",
    "OrderNotFound",
    "OutOfStock",
    "PartySizeNotAllowed",
    "PaymentFailed",
    "UnknownLandmark",
]


class CommerceError(LanternError):
    """Base class of every commerce error."""

    code = "COMMERCE_ERROR"
    http_status = 500


class CatalogueInvalid(CommerceError):
    """A catalogue file is malformed (the message names the file, record and field)."""

    code = "CATALOGUE_INVALID"
    http_status = 422


class OfferNotFound(CommerceError):
    """No offer has this id."""

    code = "OFFER_NOT_FOUND"
    http_status = 404


class OrderNotFound(CommerceError):
    """No order has this id."""

    code = "ORDER_NOT_FOUND"
    http_status = 404


class UnknownLandmark(CommerceError):
    """A search's ``near`` names none of the landmarks (the message lists them)."""

    code = "UNKNOWN_LANDMARK"
    http_status = 422


class NotYourOrder(CommerceError):
    """The order belongs to another user; nobody may see or change it but its owner."""

    code = "NOT_YOUR_ORDER"
    http_status = 403


class InvalidQuantity(CommerceError):
    """The quantity is not a whole number within the offer's limits."""

    code = "INVALID_QUANTITY"
    http_status = 422


class PartySizeNotAllowed(CommerceError):
    """The offer does not take a party of this size."""

    code = "PARTY_SIZE"
    http_status = 422


class OutOfStock(CommerceError):
    """Not enough stock left for this quantity."""

    code = "OUT_OF_STOCK"
    http_status = 409


class MerchantClosed(CommerceError):
    """The merchant is closed at the requested time."""

    code = "CLOSED"
    http_status = 409


class InvalidOrderState(CommerceError):
    """The order's state does not allow this step (e.g. cancelling a delivered order)."""

    code = "INVALID_STATE"
    http_status = 409


class IdempotencyConflict(CommerceError):
    """The idempotency key was used before with a different request."""

    code = "IDEMPOTENCY_CONFLICT"
    http_status = 409


class PaymentFailed(CommerceError):
    """The campaign engine refused a payment step; nothing was charged."""

    code = "PAYMENT_FAILED"
    http_status = 402
