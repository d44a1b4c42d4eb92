/**
 * Generated from the server's OpenAPI document by apps/web/scripts/generate-api.ts.
 * Do not edit: run `npm run generate-api -w @timeslot/web`.
 */
export interface paths {
    "/.well-known/jwks.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Public keys for verifying access tokens */
        get: operations["getWellKnownJwksJson"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/queues": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The job queues and their jobs by state (administrators) */
        get: operations["listJobQueues"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/queues/{queue}/failed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The most recent failed jobs of a queue, without their data (administrators) */
        get: operations["listFailedJobs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/admin/queues/{queue}/jobs/{jobId}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a failed job again, with a fresh attempt budget (administrators) */
        post: operations["retryFailedJob"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with email and password
         * @description Attempts are limited per email address and per client IP (429 with Retry-After); a successful one does not count. A disabled account gets 403 ACCOUNT_DISABLED, but only with its right password. When more sign-ins arrive than the server can hash in about two seconds, the newest get 503 SERVICE_UNAVAILABLE with Retry-After (and keep their attempt).
         */
        post: operations["postAuthLogin"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out
         * @description Revokes the refresh token and every token rotated from the same sign-in. Always 204.
         */
        post: operations["postAuthLogout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign out everywhere
         * @description Ends every session of the signed-in user: every refresh token is revoked (401 INVALID_REFRESH_TOKEN), and every service refuses the access tokens issued before the call within seconds (401 TOKEN_REVOKED), the one that made it included. Tokens from a sign-in after the answer work. No body (or {}). The answer may take up to a second.
         */
        post: operations["postAuthLogoutAll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a refresh token for a new session
         * @description Each refresh token works once. Presenting one again signs out every session of its family. A disabled account gets 403 ACCOUNT_DISABLED.
         */
        post: operations["postAuthRefresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create an account
         * @description Creates a client or provider account and signs it in. Limited per client IP.
         */
        post: operations["postAuthRegister"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My bookings, as client or as provider, oldest start first */
        get: operations["listBookings"];
        put?: never;
        /** Book a slot (free: confirmed; paid: held until paid) */
        post: operations["createBooking"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One booking (its client, its provider or an admin) */
        get: operations["getBooking"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel (the client until the cancellation window, the provider any time) */
        post: operations["cancelBooking"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark as completed (provider or admin, after the start) */
        post: operations["completeBooking"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings/{id}/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm a held booking (admins; payments confirm through the domain) */
        post: operations["confirmBooking"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings/{id}/confirm-offer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Claim a waitlist offer (free: confirmed; paid: held for payment) */
        post: operations["confirmWaitlistOffer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings/{id}/no-show": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark as no-show (provider or admin, after the start) */
        post: operations["markBookingNoShow"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings/{id}/payment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The booking’s payment order (its client, its provider or an admin; paying details for the client only) */
        get: operations["getBookingPayment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/bookings/{id}/reschedule": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move to another slot, atomically: the new time is taken and the old released, or nothing changes */
        post: operations["rescheduleBooking"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar-feeds/{token}.ics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A provider’s confirmed bookings as iCalendar (RFC 5545); the URL is the secret */
        get: operations["getCalendarFeed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's connected calendars */
        get: operations["listCalendarConnections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/connections/{provider}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Disconnect a calendar: its tokens and busy times are deleted */
        delete: operations["disconnectCalendar"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/google/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where Google sends the browser back: trades the code for tokens, stored encrypted
         * @description Needs no token (the state names the user); a token of another user than the one who started is refused.
         */
        get: operations["completeGoogleCalendarConnection"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/calendar/google/connect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Start connecting the provider's Google Calendar: returns Google's consent URL (valid 10 minutes, once) */
        get: operations["connectGoogleCalendar"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My notifications, newest first */
        get: operations["listNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/{id}/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark one of my notifications read (again: no change) */
        post: operations["markNotificationRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How I hear of each kind: by email (and in-app), in-app only, or not at all */
        get: operations["getNotificationPreferences"];
        /** Change the channel of some kinds (an unknown kind is refused) */
        put: operations["updateNotificationPreferences"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/read-all": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark all my notifications read */
        post: operations["markAllNotificationsRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * My new notifications as they arrive (Server-Sent Events)
         * @description A text/event-stream that stays open: `retry:` first, then `event: notification` with `id:` (the entry id) and `data:` (the entry as JSON) for each new entry, and a `: heartbeat` comment every 15 s. Reconnect with `Last-Event-ID` to get what was stored meanwhile (the newest 100). Authenticate with the bearer header or, from a browser EventSource, `?access_token=`. At most 5 open streams per user per server (429 TOO_MANY_STREAMS). The server closes streams when it shuts down; clients reconnect.
         */
        get: operations["streamNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/unread-count": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How many of my notifications are unread */
        get: operations["countUnreadNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My payments: a client’s receipts, a provider’s payments and payouts due, everything for an admin; newest first */
        get: operations["listPayments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One payment with its history and refunds (its client, the booking’s provider or an admin) */
        get: operations["getPayment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payments/{id}/refund": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refund all or part of a captured payment (an admin or the booking’s provider) */
        post: operations["refundPayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payments/{id}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm a checkout with what the gateway handed the browser (the client; the signature is checked) */
        post: operations["verifyPayment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payments/simulator/checkout/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The payment simulator’s checkout page (the link in a booking’s payment; its token is the key) */
        get: operations["showSimulatorCheckout"];
        put?: never;
        /** Pay or fail on the simulator’s checkout page: the simulator then sends our webhook endpoint a signed webhook */
        post: operations["submitSimulatorCheckout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/payments/webhooks/{gateway}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A payment gateway’s webhook: verified over its raw body (Stripe-Signature, X-Razorpay-Signature, the simulator’s), stored once per event id, applied after the answer */
        post: operations["receivePaymentWebhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Search published providers */
        get: operations["searchProviders"];
        put?: never;
        /** Create the signed-in provider’s profile (one per account) */
        post: operations["createProvider"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A provider profile (unpublished ones only for their owner and administrators) */
        get: operations["getProvider"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a provider profile (its owner or an administrator) */
        patch: operations["updateProvider"];
        trace?: never;
    };
    "/api/v1/providers/{id}/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A provider's availability (the provider or an administrator) */
        get: operations["getAvailability"];
        /** Replace a provider's availability (the provider or an administrator) */
        put: operations["replaceAvailability"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers/{id}/calendar-feed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create or rotate the provider’s secret iCalendar URL (the previous one stops working) */
        post: operations["rotateCalendarFeed"];
        /** Revoke the provider’s iCalendar URL */
        delete: operations["revokeCalendarFeed"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers/{id}/services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A provider's services (inactive ones only for the provider and administrators) */
        get: operations["listServices"];
        put?: never;
        /** Add a service (the provider or an administrator) */
        post: operations["createService"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers/{id}/services/{serviceId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One service of a provider */
        get: operations["getService"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change a service (the provider or an administrator) */
        patch: operations["updateService"];
        trace?: never;
    };
    "/api/v1/providers/{id}/slots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Free slots of one service, for up to 31 days */
        get: operations["listSlots"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/providers/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in provider’s own profile */
        get: operations["getMyProvider"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List and search accounts (administrators)
         * @description Newest first, in pages: pass nextCursor back as cursor for the next one (with the same filters). q matches part of the email address or display name in any letter case; role and status narrow the list.
         */
        get: operations["getUsers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Disable an account (administrators)
         * @description Refuses the account’s login (403 ACCOUNT_DISABLED) and refresh, revokes its refresh tokens, and makes every service refuse its access tokens within seconds (401 TOKEN_REVOKED). Disabling a disabled account changes nothing. Administrators cannot disable themselves (409). The body may be omitted.
         */
        post: operations["postUsersByIdDisable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/enable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-enable a disabled account (administrators)
         * @description The user can sign in again; access tokens issued before stay refused. Enabling an enabled account changes nothing.
         */
        post: operations["postUsersByIdEnable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed-in user
         * @description 401 ACCOUNT_NOT_FOUND when the token outlived its account; 403 ACCOUNT_DISABLED (or 401 TOKEN_REVOKED) for a disabled one.
         */
        get: operations["getUsersMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the signed-in user’s profile */
        patch: operations["patchUsersMe"];
        trace?: never;
    };
    "/api/v1/waitlist": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My waitlist entries, in arrival order */
        get: operations["listWaitlist"];
        put?: never;
        /** Join the waitlist of a full slot or day; freed slots are offered in arrival order */
        post: operations["joinWaitlist"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/waitlist/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Leave a waitlist (an open offer is declined) */
        delete: operations["leaveWaitlist"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Problem details (application/problem+json). */
        Problem: {
            /** @description Stable error code, e.g. VALIDATION_FAILED (docs/errors.md lists them all). */
            code: string;
            detail?: string;
            errors?: {
                message: string;
                path: string;
            }[];
            instance?: string;
            requestId?: string;
            status: number;
            title: string;
            type: string;
        } & {
            [key: string]: unknown;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getWellKnownJwksJson: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The public keys that verify access tokens (RFC 7517 JWK set). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        keys: {
                            alg: string;
                            crv: string;
                            kid: string;
                            kty: string;
                            /** @enum {string} */
                            use: "sig";
                            x: string;
                        }[];
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listJobQueues: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job queues of this service, in a fixed order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description Jobs by state. `completed` counts the ones still kept (the last 1000) for deduplication. */
                            counts: {
                                active: number;
                                completed: number;
                                delayed: number;
                                failed: number;
                                waiting: number;
                            };
                            name: string;
                        }[];
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listFailedJobs: {
        parameters: {
            query?: {
                /** @description How many, 1 to 100 (default 20). */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description A queue name, as GET /api/v1/admin/queues lists it. */
                queue: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The most recent failures first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description Attempts made before it was given up. */
                            attempt: number;
                            /** @description The message of the last attempt’s error. */
                            error: string;
                            /** Format: date-time */
                            failedAt: string;
                            id: string;
                            /** @description What the job does, e.g. "send". */
                            name: string;
                            /** @description The request that enqueued it, to find in the logs; null when none. */
                            requestId: string | null;
                        }[];
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    retryFailedJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description A job id, as the failed-jobs list gives it. */
                jobId: string;
                /** @description A queue name, as GET /api/v1/admin/queues lists it. */
                queue: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued again; no body. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postAuthLogin: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Email address, in any letter case. Not checked for form: a malformed one is refused like a wrong password (401). */
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description A signed-in session. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description JWT (EdDSA) to send as "Authorization: Bearer <token>". */
                        accessToken: string;
                        /** @description Seconds until the access token expires. */
                        expiresIn: number;
                        /** @description Opaque token for POST /api/v1/auth/refresh; usable once. */
                        refreshToken: string;
                        /** @description A user account as its owner sees it. */
                        user: {
                            /** Format: date-time */
                            createdAt: string;
                            /** @description Email address as entered at registration. */
                            email: string;
                            /** Format: uuid */
                            id: string;
                            /** @description BCP 47 language tag for messages and formats. */
                            locale: string;
                            name: string;
                            /**
                             * @description client books time, provider offers it, admin operates the platform.
                             * @enum {string}
                             */
                            role: "client" | "provider" | "admin";
                            /** @description IANA time zone used to show times to this user. */
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postAuthLogout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The refresh token from the last sign-in or refresh. */
                    refreshToken: string;
                };
            };
        };
        responses: {
            /** @description Signed out; no body. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postAuthLogoutAll: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out everywhere; no body. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postAuthRefresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description The refresh token from the last sign-in or refresh. */
                    refreshToken: string;
                };
            };
        };
        responses: {
            /** @description A signed-in session. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description JWT (EdDSA) to send as "Authorization: Bearer <token>". */
                        accessToken: string;
                        /** @description Seconds until the access token expires. */
                        expiresIn: number;
                        /** @description Opaque token for POST /api/v1/auth/refresh; usable once. */
                        refreshToken: string;
                        /** @description A user account as its owner sees it. */
                        user: {
                            /** Format: date-time */
                            createdAt: string;
                            /** @description Email address as entered at registration. */
                            email: string;
                            /** Format: uuid */
                            id: string;
                            /** @description BCP 47 language tag for messages and formats. */
                            locale: string;
                            name: string;
                            /**
                             * @description client books time, provider offers it, admin operates the platform.
                             * @enum {string}
                             */
                            role: "client" | "provider" | "admin";
                            /** @description IANA time zone used to show times to this user. */
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postAuthRegister: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A new account. */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: email
                     * @description Email address; unique regardless of letter case.
                     * @example ada@example.com
                     */
                    email: string;
                    /**
                     * @description BCP 47 language tag; "en" when omitted.
                     * @example en-US
                     */
                    locale?: string;
                    /** @description Display name. */
                    name: string;
                    /** @description Password, 8 to 128 characters. */
                    password: string;
                    /**
                     * @description client to book time, provider to offer it. Administrators are created by an operator.
                     * @enum {string}
                     */
                    role: "client" | "provider";
                    /**
                     * @description IANA time zone; UTC when omitted.
                     * @example Europe/Paris
                     */
                    timeZone?: string;
                };
            };
        };
        responses: {
            /** @description A signed-in session. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description JWT (EdDSA) to send as "Authorization: Bearer <token>". */
                        accessToken: string;
                        /** @description Seconds until the access token expires. */
                        expiresIn: number;
                        /** @description Opaque token for POST /api/v1/auth/refresh; usable once. */
                        refreshToken: string;
                        /** @description A user account as its owner sees it. */
                        user: {
                            /** Format: date-time */
                            createdAt: string;
                            /** @description Email address as entered at registration. */
                            email: string;
                            /** Format: uuid */
                            id: string;
                            /** @description BCP 47 language tag for messages and formats. */
                            locale: string;
                            name: string;
                            /**
                             * @description client books time, provider offers it, admin operates the platform.
                             * @enum {string}
                             */
                            role: "client" | "provider" | "admin";
                            /** @description IANA time zone used to show times to this user. */
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listBookings: {
        parameters: {
            query?: {
                /** @description nextCursor of the previous page. */
                cursor?: string;
                /** @description Bookings starting at or after this instant. */
                from?: string & unknown;
                limit?: number;
                /** @description Bookings I made (client) or bookings with me (provider); default by my role. */
                role?: "client" | "provider";
                status?: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                /** @description Bookings starting before this instant. */
                to?: string & unknown;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            cancelReason: string | null;
                            /** Format: uuid */
                            clientId: string;
                            /** Format: date-time */
                            createdAt: string;
                            /**
                             * Format: date-time
                             * @description UTC.
                             */
                            end: string;
                            /** @description While pending_payment: when the hold is released. */
                            holdExpiresAt: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @description Video services: the link to join. pending: the link could not be made yet and will follow (the booking stands); none: no meeting. */
                            meeting: {
                                /** @enum {string} */
                                status: "none" | "pending" | "ready";
                                url: string | null;
                            };
                            notes: string | null;
                            /** Format: uuid */
                            providerId: string;
                            /** @description 1 for one-to-one services; the seat number in a seated session. */
                            seat: number;
                            service: {
                                currency: string;
                                durationMinutes: number;
                                name: string;
                                /** @description Minor units; 0 = free. */
                                priceAmount: number;
                            };
                            /** Format: uuid */
                            serviceId: string;
                            /**
                             * Format: date-time
                             * @description UTC.
                             */
                            start: string;
                            /** @enum {string} */
                            status: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        /** @description Pass as cursor for the next page; null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createBooking: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key with the same body replays the first response for 24 hours. */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description Book one slot of a service, as the signed-in user. */
        requestBody: {
            content: {
                "application/json": {
                    notes?: string;
                    /** Format: uuid */
                    serviceId: string;
                    /**
                     * Format: date-time
                     * @description ISO 8601 instant with an offset, between 1970-01-01 and 2999-12-31 (UTC).
                     * @example 2030-03-10T09:00:00Z
                     */
                    start: string & unknown;
                };
            };
        };
        responses: {
            /** @description The booking just made, with its payment order when it is paid for. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cancelReason: string | null;
                        /** Format: uuid */
                        clientId: string;
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        end: string;
                        /** @description While pending_payment: when the hold is released. */
                        holdExpiresAt: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @description Video services: the link to join. pending: the link could not be made yet and will follow (the booking stands); none: no meeting. */
                        meeting: {
                            /** @enum {string} */
                            status: "none" | "pending" | "ready";
                            url: string | null;
                        };
                        notes: string | null;
                        /** @description Paid services only: the order to pay (its checkoutUrl or clientSecret), or null when it is not made yet (GET /bookings/{id}/payment shows it later). */
                        payment?: {
                            /** @description Minor units (e.g. cents). */
                            amount: number;
                            /** Format: uuid */
                            bookingId: string;
                            /** @description Where the client pays (simulator, hosted checkouts); shown to the booking’s client only. */
                            checkoutUrl: string | null;
                            /** @description For the gateway’s own client-side checkout (Stripe payment intent secret, Razorpay order id); shown to the booking’s client only. */
                            clientSecret: string | null;
                            /** @description ISO 4217. */
                            currency: string;
                            /** @enum {string} */
                            gateway: "simulator" | "stripe" | "razorpay";
                            /** Format: uuid */
                            orderId: string;
                            /** @enum {string} */
                            status: "created" | "authorized" | "captured" | "refunded" | "partially_refunded" | "failed" | "cancelled";
                        } | null;
                        /** Format: uuid */
                        providerId: string;
                        /** @description 1 for one-to-one services; the seat number in a seated session. */
                        seat: number;
                        service: {
                            currency: string;
                            durationMinutes: number;
                            name: string;
                            /** @description Minor units; 0 = free. */
                            priceAmount: number;
                        };
                        /** Format: uuid */
                        serviceId: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        start: string;
                        /** @enum {string} */
                        status: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getBooking: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A booking, as its client, its provider or an admin sees it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cancelReason: string | null;
                        /** Format: uuid */
                        clientId: string;
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        end: string;
                        /** @description While pending_payment: when the hold is released. */
                        holdExpiresAt: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @description Video services: the link to join. pending: the link could not be made yet and will follow (the booking stands); none: no meeting. */
                        meeting: {
                            /** @enum {string} */
                            status: "none" | "pending" | "ready";
                            url: string | null;
                        };
                        notes: string | null;
                        /** Format: uuid */
                        providerId: string;
                        /** @description 1 for one-to-one services; the seat number in a seated session. */
                        seat: number;
                        service: {
                            currency: string;
                            durationMinutes: number;
                            name: string;
                            /** @description Minor units; 0 = free. */
                            priceAmount: number;
                        };
                        /** Format: uuid */
                        serviceId: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        start: string;
                        /** @enum {string} */
                        status: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    cancelBooking: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    reason?: string;
                } | null;
            };
        };
        responses: {
            /** @description A booking, as its client, its provider or an admin sees it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cancelReason: string | null;
                        /** Format: uuid */
                        clientId: string;
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        end: string;
                        /** @description While pending_payment: when the hold is released. */
                        holdExpiresAt: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @description Video services: the link to join. pending: the link could not be made yet and will follow (the booking stands); none: no meeting. */
                        meeting: {
                            /** @enum {string} */
                            status: "none" | "pending" | "ready";
                            url: string | null;
                        };
                        notes: string | null;
                        /** Format: uuid */
                        providerId: string;
                        /** @description 1 for one-to-one services; the seat number in a seated session. */
                        seat: number;
                        service: {
                            currency: string;
                            durationMinutes: number;
                            name: string;
                            /** @description Minor units; 0 = free. */
                            priceAmount: number;
                        };
                        /** Format: uuid */
                        serviceId: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        start: string;
                        /** @enum {string} */
                        status: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    completeBooking: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A booking, as its client, its provider or an admin sees it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cancelReason: string | null;
                        /** Format: uuid */
                        clientId: string;
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        end: string;
                        /** @description While pending_payment: when the hold is released. */
                        holdExpiresAt: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @description Video services: the link to join. pending: the link could not be made yet and will follow (the booking stands); none: no meeting. */
                        meeting: {
                            /** @enum {string} */
                            status: "none" | "pending" | "ready";
                            url: string | null;
                        };
                        notes: string | null;
                        /** Format: uuid */
                        providerId: string;
                        /** @description 1 for one-to-one services; the seat number in a seated session. */
                        seat: number;
                        service: {
                            currency: string;
                            durationMinutes: number;
                            name: string;
                            /** @description Minor units; 0 = free. */
                            priceAmount: number;
                        };
                        /** Format: uuid */
                        serviceId: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        start: string;
                        /** @enum {string} */
                        status: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    confirmBooking: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A booking, as its client, its provider or an admin sees it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cancelReason: string | null;
                        /** Format: uuid */
                        clientId: string;
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        end: string;
                        /** @description While pending_payment: when the hold is released. */
                        holdExpiresAt: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @description Video services: the link to join. pending: the link could not be made yet and will follow (the booking stands); none: no meeting. */
                        meeting: {
                            /** @enum {string} */
                            status: "none" | "pending" | "ready";
                            url: string | null;
                        };
                        notes: string | null;
                        /** Format: uuid */
                        providerId: string;
                        /** @description 1 for one-to-one services; the seat number in a seated session. */
                        seat: number;
                        service: {
                            currency: string;
                            durationMinutes: number;
                            name: string;
                            /** @description Minor units; 0 = free. */
                            priceAmount: number;
                        };
                        /** Format: uuid */
                        serviceId: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        start: string;
                        /** @enum {string} */
                        status: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    confirmWaitlistOffer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A booking, as its client, its provider or an admin sees it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cancelReason: string | null;
                        /** Format: uuid */
                        clientId: string;
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        end: string;
                        /** @description While pending_payment: when the hold is released. */
                        holdExpiresAt: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @description Video services: the link to join. pending: the link could not be made yet and will follow (the booking stands); none: no meeting. */
                        meeting: {
                            /** @enum {string} */
                            status: "none" | "pending" | "ready";
                            url: string | null;
                        };
                        notes: string | null;
                        /** Format: uuid */
                        providerId: string;
                        /** @description 1 for one-to-one services; the seat number in a seated session. */
                        seat: number;
                        service: {
                            currency: string;
                            durationMinutes: number;
                            name: string;
                            /** @description Minor units; 0 = free. */
                            priceAmount: number;
                        };
                        /** Format: uuid */
                        serviceId: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        start: string;
                        /** @enum {string} */
                        status: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    markBookingNoShow: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A booking, as its client, its provider or an admin sees it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cancelReason: string | null;
                        /** Format: uuid */
                        clientId: string;
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        end: string;
                        /** @description While pending_payment: when the hold is released. */
                        holdExpiresAt: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @description Video services: the link to join. pending: the link could not be made yet and will follow (the booking stands); none: no meeting. */
                        meeting: {
                            /** @enum {string} */
                            status: "none" | "pending" | "ready";
                            url: string | null;
                        };
                        notes: string | null;
                        /** Format: uuid */
                        providerId: string;
                        /** @description 1 for one-to-one services; the seat number in a seated session. */
                        seat: number;
                        service: {
                            currency: string;
                            durationMinutes: number;
                            name: string;
                            /** @description Minor units; 0 = free. */
                            priceAmount: number;
                        };
                        /** Format: uuid */
                        serviceId: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        start: string;
                        /** @enum {string} */
                        status: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getBookingPayment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A booking’s payment order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Minor units (e.g. cents). */
                        amount: number;
                        /** Format: uuid */
                        bookingId: string;
                        /** @description Where the client pays (simulator, hosted checkouts); shown to the booking’s client only. */
                        checkoutUrl: string | null;
                        /** @description For the gateway’s own client-side checkout (Stripe payment intent secret, Razorpay order id); shown to the booking’s client only. */
                        clientSecret: string | null;
                        /** @description ISO 4217. */
                        currency: string;
                        /** @enum {string} */
                        gateway: "simulator" | "stripe" | "razorpay";
                        /** Format: uuid */
                        orderId: string;
                        /** @enum {string} */
                        status: "created" | "authorized" | "captured" | "refunded" | "partially_refunded" | "failed" | "cancelled";
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rescheduleBooking: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The new start; the duration stays the same. */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date-time
                     * @description ISO 8601 instant with an offset, between 1970-01-01 and 2999-12-31 (UTC).
                     * @example 2030-03-10T09:00:00Z
                     */
                    start: string & unknown;
                };
            };
        };
        responses: {
            /** @description A booking, as its client, its provider or an admin sees it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        cancelReason: string | null;
                        /** Format: uuid */
                        clientId: string;
                        /** Format: date-time */
                        createdAt: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        end: string;
                        /** @description While pending_payment: when the hold is released. */
                        holdExpiresAt: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @description Video services: the link to join. pending: the link could not be made yet and will follow (the booking stands); none: no meeting. */
                        meeting: {
                            /** @enum {string} */
                            status: "none" | "pending" | "ready";
                            url: string | null;
                        };
                        notes: string | null;
                        /** Format: uuid */
                        providerId: string;
                        /** @description 1 for one-to-one services; the seat number in a seated session. */
                        seat: number;
                        service: {
                            currency: string;
                            durationMinutes: number;
                            name: string;
                            /** @description Minor units; 0 = free. */
                            priceAmount: number;
                        };
                        /** Format: uuid */
                        serviceId: string;
                        /**
                         * Format: date-time
                         * @description UTC.
                         */
                        start: string;
                        /** @enum {string} */
                        status: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCalendarFeed: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                token: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The feed, an iCalendar (RFC 5545) VCALENDAR. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/calendar": string;
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token: none where one is required (UNAUTHENTICATED), or one that is invalid or expired (INVALID_TOKEN, TOKEN_EXPIRED). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listCalendarConnections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description The Google account, when Google named it. */
                            account: string | null;
                            busyTimes: {
                                /** @description The last read failed or is too old: slots use the last known busy times. */
                                stale: boolean;
                                /** @description Last successful read of the busy times. */
                                syncedAt: string | null;
                            };
                            calendarId: string;
                            /** Format: date-time */
                            connectedAt: string;
                            /** @enum {string} */
                            provider: "google";
                            /**
                             * @description reconnect_needed: Google refused the stored grant (revoked): connect again.
                             * @enum {string}
                             */
                            status: "active" | "reconnect_needed";
                        }[];
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    disconnectCalendar: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                provider: "google";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Disconnected; no body. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    completeGoogleCalendarConnection: {
        parameters: {
            query: {
                code?: string;
                /** @description Set by Google instead of code when access was not granted. */
                error?: string;
                state: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A provider's connected calendar. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The Google account, when Google named it. */
                        account: string | null;
                        busyTimes: {
                            /** @description The last read failed or is too old: slots use the last known busy times. */
                            stale: boolean;
                            /** @description Last successful read of the busy times. */
                            syncedAt: string | null;
                        };
                        calendarId: string;
                        /** Format: date-time */
                        connectedAt: string;
                        /** @enum {string} */
                        provider: "google";
                        /**
                         * @description reconnect_needed: Google refused the stored grant (revoked): connect again.
                         * @enum {string}
                         */
                        status: "active" | "reconnect_needed";
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    connectGoogleCalendar: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Where to grant Timeslot access to a Google Calendar. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * Format: uri
                         * @description Google's consent page: send the provider's browser there.
                         */
                        authorizationUrl: string;
                        /**
                         * Format: date-time
                         * @description The authorization must come back (callback) before this.
                         */
                        expiresAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            501: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listNotifications: {
        parameters: {
            query?: {
                /** @description nextCursor of the previous page. */
                cursor?: string;
                limit?: number;
                /** @description true: unread entries only. */
                unread?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Newest first. */
                        items: {
                            body: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description Language-free details: bookingId, startsAt/endsAt (UTC), meetingUrl, offerExpiresAt … */
                            data: {
                                [key: string]: unknown;
                            };
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            kind: "welcome" | "booking_confirmed" | "booking_held" | "booking_cancelled" | "booking_rescheduled" | "booking_expired" | "booking_reminder" | "meeting_ready" | "waitlist_offer" | "payment_receipt";
                            readAt: string | null;
                            /** @description In the recipient’s language, instants on their wall clock. */
                            title: string;
                        }[];
                        /** @description Pass as cursor for the next (older) page; null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    markNotificationRead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An in-app notification. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        body: string;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description Language-free details: bookingId, startsAt/endsAt (UTC), meetingUrl, offerExpiresAt … */
                        data: {
                            [key: string]: unknown;
                        };
                        /** Format: uuid */
                        id: string;
                        /** @enum {string} */
                        kind: "welcome" | "booking_confirmed" | "booking_held" | "booking_cancelled" | "booking_rescheduled" | "booking_expired" | "booking_reminder" | "meeting_ready" | "waitlist_offer" | "payment_receipt";
                        readAt: string | null;
                        /** @description In the recipient’s language, instants on their wall clock. */
                        title: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getNotificationPreferences: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description How I want to hear of each kind of notification. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The channel of every kind, mine or its default. */
                        channels: {
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_cancelled: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_confirmed: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_expired: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_held: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_reminder: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_rescheduled: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            meeting_ready: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            payment_receipt: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            waitlist_offer: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            welcome: "email" | "in_app" | "off";
                        };
                        /** @description What each kind uses when I have not chosen. */
                        defaults: {
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_cancelled: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_confirmed: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_expired: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_held: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_reminder: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_rescheduled: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            meeting_ready: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            payment_receipt: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            waitlist_offer: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            welcome: "email" | "in_app" | "off";
                        };
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateNotificationPreferences: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The kinds to change; the others keep their channel. */
        requestBody: {
            content: {
                "application/json": {
                    channels: {
                        /**
                         * @description email: in-app and by email; in_app: in-app only; off: neither.
                         * @enum {string}
                         */
                        booking_cancelled?: "email" | "in_app" | "off";
                        /**
                         * @description email: in-app and by email; in_app: in-app only; off: neither.
                         * @enum {string}
                         */
                        booking_confirmed?: "email" | "in_app" | "off";
                        /**
                         * @description email: in-app and by email; in_app: in-app only; off: neither.
                         * @enum {string}
                         */
                        booking_expired?: "email" | "in_app" | "off";
                        /**
                         * @description email: in-app and by email; in_app: in-app only; off: neither.
                         * @enum {string}
                         */
                        booking_held?: "email" | "in_app" | "off";
                        /**
                         * @description email: in-app and by email; in_app: in-app only; off: neither.
                         * @enum {string}
                         */
                        booking_reminder?: "email" | "in_app" | "off";
                        /**
                         * @description email: in-app and by email; in_app: in-app only; off: neither.
                         * @enum {string}
                         */
                        booking_rescheduled?: "email" | "in_app" | "off";
                        /**
                         * @description email: in-app and by email; in_app: in-app only; off: neither.
                         * @enum {string}
                         */
                        meeting_ready?: "email" | "in_app" | "off";
                        /**
                         * @description email: in-app and by email; in_app: in-app only; off: neither.
                         * @enum {string}
                         */
                        payment_receipt?: "email" | "in_app" | "off";
                        /**
                         * @description email: in-app and by email; in_app: in-app only; off: neither.
                         * @enum {string}
                         */
                        waitlist_offer?: "email" | "in_app" | "off";
                        /**
                         * @description email: in-app and by email; in_app: in-app only; off: neither.
                         * @enum {string}
                         */
                        welcome?: "email" | "in_app" | "off";
                    };
                };
            };
        };
        responses: {
            /** @description How I want to hear of each kind of notification. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description The channel of every kind, mine or its default. */
                        channels: {
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_cancelled: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_confirmed: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_expired: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_held: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_reminder: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_rescheduled: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            meeting_ready: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            payment_receipt: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            waitlist_offer: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            welcome: "email" | "in_app" | "off";
                        };
                        /** @description What each kind uses when I have not chosen. */
                        defaults: {
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_cancelled: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_confirmed: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_expired: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_held: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_reminder: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            booking_rescheduled: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            meeting_ready: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            payment_receipt: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            waitlist_offer: "email" | "in_app" | "off";
                            /**
                             * @description email: in-app and by email; in_app: in-app only; off: neither.
                             * @enum {string}
                             */
                            welcome: "email" | "in_app" | "off";
                        };
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    markAllNotificationsRead: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Entries that were unread. */
                        marked: number;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    streamNotifications: {
        parameters: {
            query?: {
                /** @description The access token, for browsers’ EventSource, which cannot send an Authorization header. Only this route reads it; it is never logged. */
                access_token?: string;
            };
            header?: {
                /** @description Sent by EventSource on reconnect: the entries stored after this one come first. */
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An endless text/event-stream. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    countUnreadNotifications: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        count: number;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listPayments: {
        parameters: {
            query?: {
                /** @description nextCursor of the previous page. */
                cursor?: string;
                limit?: number;
                /** @description Payments I made (client) or for my bookings (provider); default by my role; admins see all without it. */
                role?: "client" | "provider";
                status?: "created" | "authorized" | "captured" | "refunded" | "partially_refunded" | "failed" | "cancelled";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @description Minor units (e.g. cents); never a float. */
                            amount: number;
                            /** Format: uuid */
                            bookingId: string;
                            /**
                             * @description The booking, as payments last heard of it.
                             * @enum {string}
                             */
                            bookingStatus: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                            /** @description While unpaid, to the booking’s client only: where to pay. */
                            checkoutUrl: string | null;
                            /** Format: uuid */
                            clientId: string;
                            /** @description While unpaid, to the booking’s client only: for the gateway’s client-side checkout. */
                            clientSecret: string | null;
                            /** Format: date-time */
                            createdAt: string;
                            /** @description ISO 4217. */
                            currency: string;
                            description: string;
                            /** @enum {string} */
                            gateway: "simulator" | "stripe" | "razorpay";
                            gatewayOrderId: string | null;
                            gatewayPaymentId: string | null;
                            holdExpiresAt: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @description The booking’s provider (their identity user). */
                            providerUserId: string | null;
                            /** @description Minor units the gateway has refunded. */
                            refundedAmount: number;
                            /** Format: date-time */
                            startsAt: string;
                            /** @enum {string} */
                            status: "created" | "authorized" | "captured" | "refunded" | "partially_refunded" | "failed" | "cancelled";
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        /** @description Pass as cursor for the next page; null on the last page. */
                        nextCursor: string | null;
                        /** @description As a provider: what is due to you, per currency. Null otherwise. */
                        payouts: {
                            /** @description Minor units captured for the provider’s bookings. */
                            captured: number;
                            currency: string;
                            /** @description captured − refunded. */
                            due: number;
                            refunded: number;
                        }[] | null;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getPayment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A payment order with its history and refunds. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Minor units (e.g. cents); never a float. */
                        amount: number;
                        /** Format: uuid */
                        bookingId: string;
                        /**
                         * @description The booking, as payments last heard of it.
                         * @enum {string}
                         */
                        bookingStatus: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                        /** @description While unpaid, to the booking’s client only: where to pay. */
                        checkoutUrl: string | null;
                        /** Format: uuid */
                        clientId: string;
                        /** @description While unpaid, to the booking’s client only: for the gateway’s client-side checkout. */
                        clientSecret: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description ISO 4217. */
                        currency: string;
                        description: string;
                        /** @enum {string} */
                        gateway: "simulator" | "stripe" | "razorpay";
                        gatewayOrderId: string | null;
                        gatewayPaymentId: string | null;
                        holdExpiresAt: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @description The booking’s provider (their identity user). */
                        providerUserId: string | null;
                        /** @description Minor units that may still be refunded. */
                        refundableAmount: number;
                        /** @description Minor units the gateway has refunded. */
                        refundedAmount: number;
                        refunds: {
                            /** @description Minor units. */
                            amount: number;
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            gatewayRefundId: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            reason: "cancellation" | "late_payment" | "manual";
                            /**
                             * @description pending: decided, on its way to the gateway (retried until it succeeds); succeeded: the gateway accepted it.
                             * @enum {string}
                             */
                            status: "pending" | "succeeded" | "failed";
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        /** Format: date-time */
                        startsAt: string;
                        /** @enum {string} */
                        status: "created" | "authorized" | "captured" | "refunded" | "partially_refunded" | "failed" | "cancelled";
                        /** @description Every status change, oldest first. */
                        transitions: {
                            amount: number | null;
                            /** Format: date-time */
                            at: string;
                            from: ("created" | "authorized" | "captured" | "refunded" | "partially_refunded" | "failed" | "cancelled") | null;
                            /** @description The gateway’s reference for this step (payment, refund). */
                            gatewayRef: string | null;
                            reason: string;
                            /** @enum {string} */
                            to: "created" | "authorized" | "captured" | "refunded" | "partially_refunded" | "failed" | "cancelled";
                        }[];
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    refundPayment: {
        parameters: {
            query?: never;
            header?: {
                /** @description Retry safely: the same key with the same body replays the first refund instead of making another. */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @description Minor units; default: all that is refundable. */
                    amount?: number;
                } | null;
            };
        };
        responses: {
            /** @description A payment order with its history and refunds. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Minor units (e.g. cents); never a float. */
                        amount: number;
                        /** Format: uuid */
                        bookingId: string;
                        /**
                         * @description The booking, as payments last heard of it.
                         * @enum {string}
                         */
                        bookingStatus: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                        /** @description While unpaid, to the booking’s client only: where to pay. */
                        checkoutUrl: string | null;
                        /** Format: uuid */
                        clientId: string;
                        /** @description While unpaid, to the booking’s client only: for the gateway’s client-side checkout. */
                        clientSecret: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description ISO 4217. */
                        currency: string;
                        description: string;
                        /** @enum {string} */
                        gateway: "simulator" | "stripe" | "razorpay";
                        gatewayOrderId: string | null;
                        gatewayPaymentId: string | null;
                        holdExpiresAt: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @description The booking’s provider (their identity user). */
                        providerUserId: string | null;
                        /** @description Minor units that may still be refunded. */
                        refundableAmount: number;
                        /** @description Minor units the gateway has refunded. */
                        refundedAmount: number;
                        refunds: {
                            /** @description Minor units. */
                            amount: number;
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            gatewayRefundId: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            reason: "cancellation" | "late_payment" | "manual";
                            /**
                             * @description pending: decided, on its way to the gateway (retried until it succeeds); succeeded: the gateway accepted it.
                             * @enum {string}
                             */
                            status: "pending" | "succeeded" | "failed";
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        /** Format: date-time */
                        startsAt: string;
                        /** @enum {string} */
                        status: "created" | "authorized" | "captured" | "refunded" | "partially_refunded" | "failed" | "cancelled";
                        /** @description Every status change, oldest first. */
                        transitions: {
                            amount: number | null;
                            /** Format: date-time */
                            at: string;
                            from: ("created" | "authorized" | "captured" | "refunded" | "partially_refunded" | "failed" | "cancelled") | null;
                            /** @description The gateway’s reference for this step (payment, refund). */
                            gatewayRef: string | null;
                            reason: string;
                            /** @enum {string} */
                            to: "created" | "authorized" | "captured" | "refunded" | "partially_refunded" | "failed" | "cancelled";
                        }[];
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    verifyPayment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description What the gateway’s checkout handed the browser after paying. */
        requestBody: {
            content: {
                "application/json": {
                    /** @description The payment id the checkout returned (razorpay_payment_id; a Stripe payment intent id). */
                    gatewayPaymentId: string;
                    /** @description The checkout’s signature (razorpay_signature; the simulator’s); not used by Stripe. */
                    signature?: string;
                };
            };
        };
        responses: {
            /** @description A payment order with its history and refunds. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Minor units (e.g. cents); never a float. */
                        amount: number;
                        /** Format: uuid */
                        bookingId: string;
                        /**
                         * @description The booking, as payments last heard of it.
                         * @enum {string}
                         */
                        bookingStatus: "pending_payment" | "confirmed" | "expired" | "cancelled" | "completed" | "no_show";
                        /** @description While unpaid, to the booking’s client only: where to pay. */
                        checkoutUrl: string | null;
                        /** Format: uuid */
                        clientId: string;
                        /** @description While unpaid, to the booking’s client only: for the gateway’s client-side checkout. */
                        clientSecret: string | null;
                        /** Format: date-time */
                        createdAt: string;
                        /** @description ISO 4217. */
                        currency: string;
                        description: string;
                        /** @enum {string} */
                        gateway: "simulator" | "stripe" | "razorpay";
                        gatewayOrderId: string | null;
                        gatewayPaymentId: string | null;
                        holdExpiresAt: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @description The booking’s provider (their identity user). */
                        providerUserId: string | null;
                        /** @description Minor units that may still be refunded. */
                        refundableAmount: number;
                        /** @description Minor units the gateway has refunded. */
                        refundedAmount: number;
                        refunds: {
                            /** @description Minor units. */
                            amount: number;
                            /** Format: date-time */
                            createdAt: string;
                            currency: string;
                            gatewayRefundId: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @enum {string} */
                            reason: "cancellation" | "late_payment" | "manual";
                            /**
                             * @description pending: decided, on its way to the gateway (retried until it succeeds); succeeded: the gateway accepted it.
                             * @enum {string}
                             */
                            status: "pending" | "succeeded" | "failed";
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        /** Format: date-time */
                        startsAt: string;
                        /** @enum {string} */
                        status: "created" | "authorized" | "captured" | "refunded" | "partially_refunded" | "failed" | "cancelled";
                        /** @description Every status change, oldest first. */
                        transitions: {
                            amount: number | null;
                            /** Format: date-time */
                            at: string;
                            from: ("created" | "authorized" | "captured" | "refunded" | "partially_refunded" | "failed" | "cancelled") | null;
                            /** @description The gateway’s reference for this step (payment, refund). */
                            gatewayRef: string | null;
                            reason: string;
                            /** @enum {string} */
                            to: "created" | "authorized" | "captured" | "refunded" | "partially_refunded" | "failed" | "cancelled";
                        }[];
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    showSimulatorCheckout: {
        parameters: {
            query: {
                token: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An HTML page with pay and fail buttons. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token: none where one is required (UNAUTHENTICATED), or one that is invalid or expired (INVALID_TOKEN, TOKEN_EXPIRED). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    submitSimulatorCheckout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": {
                    /** @enum {string} */
                    outcome: "pay" | "fail";
                    token: string;
                };
            };
        };
        responses: {
            /** @description An HTML page with the outcome. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token: none where one is required (UNAUTHENTICATED), or one that is invalid or expired (INVALID_TOKEN, TOKEN_EXPIRED). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    receivePaymentWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description simulator, stripe or razorpay: the gateway this server uses. */
                gateway: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description This event id was received before: nothing more happens. */
                        duplicate: boolean;
                        /** @description An event type payments does not act on. */
                        ignored: boolean;
                        /** @enum {boolean} */
                        received: true;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token: none where one is required (UNAUTHENTICATED), or one that is invalid or expired (INVALID_TOKEN, TOKEN_EXPIRED). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    searchProviders: {
        parameters: {
            query?: {
                /** @description nextCursor of the previous page. */
                cursor?: string;
                /** @description Page size, 1 to 100 (default 20). */
                limit?: number;
                /** @description Matches display name, title or specialty, in any letter case. */
                q?: string;
                /** @description Exact specialty, in any letter case. */
                specialty?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Published providers ordered by display name. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            bio: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 instant with an offset.
                             */
                            createdAt: string;
                            displayName: string;
                            /** Format: uuid */
                            id: string;
                            photoUrl: string | null;
                            /** @description Unpublished profiles are visible only to their owner and administrators. */
                            published: boolean;
                            specialty: string | null;
                            /** @description IANA zone the availability rules are written in. */
                            timeZone: string;
                            title: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 instant with an offset.
                             */
                            updatedAt: string;
                            /**
                             * Format: uuid
                             * @description The identity user who owns this profile.
                             */
                            userId: string;
                        }[];
                        /** @description Pass as cursor for the next page; null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No valid bearer token: none where one is required (UNAUTHENTICATED), or one that is invalid or expired (INVALID_TOKEN, TOKEN_EXPIRED). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createProvider: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description A new provider profile for the signed-in provider account (one per account). */
        requestBody: {
            content: {
                "application/json": {
                    /** @default  */
                    bio?: string;
                    displayName: string;
                    /** @default null */
                    photoUrl?: string | null;
                    /** @default false */
                    published?: boolean;
                    /** @default null */
                    specialty?: string | null;
                    /**
                     * @description IANA time zone, e.g. Europe/Paris.
                     * @example Europe/Paris
                     */
                    timeZone: string;
                    /** @default  */
                    title?: string;
                };
            };
        };
        responses: {
            /** @description A provider profile. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        bio: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        createdAt: string;
                        displayName: string;
                        /** Format: uuid */
                        id: string;
                        photoUrl: string | null;
                        /** @description Unpublished profiles are visible only to their owner and administrators. */
                        published: boolean;
                        specialty: string | null;
                        /** @description IANA zone the availability rules are written in. */
                        timeZone: string;
                        title: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        updatedAt: string;
                        /**
                         * Format: uuid
                         * @description The identity user who owns this profile.
                         */
                        userId: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A provider profile. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        bio: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        createdAt: string;
                        displayName: string;
                        /** Format: uuid */
                        id: string;
                        photoUrl: string | null;
                        /** @description Unpublished profiles are visible only to their owner and administrators. */
                        published: boolean;
                        specialty: string | null;
                        /** @description IANA zone the availability rules are written in. */
                        timeZone: string;
                        title: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        updatedAt: string;
                        /**
                         * Format: uuid
                         * @description The identity user who owns this profile.
                         */
                        userId: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateProvider: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The profile fields to change; at least one. null clears specialty or photoUrl. */
        requestBody: {
            content: {
                "application/json": {
                    bio?: string;
                    displayName?: string;
                    photoUrl?: string | null;
                    published?: boolean;
                    specialty?: string | null;
                    /**
                     * @description IANA time zone, e.g. Europe/Paris.
                     * @example Europe/Paris
                     */
                    timeZone?: string;
                    title?: string;
                };
            };
        };
        responses: {
            /** @description A provider profile. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        bio: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        createdAt: string;
                        displayName: string;
                        /** Format: uuid */
                        id: string;
                        photoUrl: string | null;
                        /** @description Unpublished profiles are visible only to their owner and administrators. */
                        published: boolean;
                        specialty: string | null;
                        /** @description IANA zone the availability rules are written in. */
                        timeZone: string;
                        title: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        updatedAt: string;
                        /**
                         * Format: uuid
                         * @description The identity user who owns this profile.
                         */
                        userId: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getAvailability: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Weekly rules, date overrides (empty intervals = closed) and blocked periods. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        blocked: {
                            /**
                             * Format: date-time
                             * @description ISO 8601 instant with an offset.
                             */
                            end: string;
                            /** Format: uuid */
                            id: string;
                            reason: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 instant with an offset.
                             */
                            start: string;
                        }[];
                        overrides: {
                            /** Format: date */
                            date: string;
                            intervals: {
                                end: string;
                                start: string;
                            }[];
                        }[];
                        /** @description The provider’s zone: weekly rules and overrides are wall-clock times there. */
                        timeZone: string;
                        weekly: {
                            end: string;
                            start: string;
                            weekday: number;
                        }[];
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    replaceAvailability: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description The whole availability; PUT replaces what was there. */
        requestBody: {
            content: {
                "application/json": {
                    /** @default [] */
                    blocked?: {
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset, between 1970-01-01 and 2999-12-31 (UTC).
                         * @example 2030-03-10T09:00:00Z
                         */
                        end: string & unknown;
                        /**
                         * Format: uuid
                         * @description Kept when given (as GET returned it); a new id otherwise.
                         */
                        id?: string;
                        /** @default  */
                        reason?: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset, between 1970-01-01 and 2999-12-31 (UTC).
                         * @example 2030-03-10T09:00:00Z
                         */
                        start: string & unknown;
                    }[];
                    /** @default [] */
                    overrides?: {
                        /**
                         * Format: date
                         * @description Calendar date YYYY-MM-DD, between 1970-01-01 and 2999-12-31.
                         * @example 2030-03-10
                         */
                        date: string & unknown;
                        /** @description Hours on that date instead of the weekly rules; empty = closed. */
                        intervals: {
                            end: string;
                            start: string;
                        }[];
                    }[];
                    /** @description Wall-clock hours in the provider’s zone, by ISO weekday. */
                    weekly: {
                        end: string;
                        start: string;
                        weekday: number;
                    }[];
                };
            };
        };
        responses: {
            /** @description Weekly rules, date overrides (empty intervals = closed) and blocked periods. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        blocked: {
                            /**
                             * Format: date-time
                             * @description ISO 8601 instant with an offset.
                             */
                            end: string;
                            /** Format: uuid */
                            id: string;
                            reason: string;
                            /**
                             * Format: date-time
                             * @description ISO 8601 instant with an offset.
                             */
                            start: string;
                        }[];
                        overrides: {
                            /** Format: date */
                            date: string;
                            intervals: {
                                end: string;
                                start: string;
                            }[];
                        }[];
                        /** @description The provider’s zone: weekly rules and overrides are wall-clock times there. */
                        timeZone: string;
                        weekly: {
                            end: string;
                            start: string;
                            weekday: number;
                        }[];
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    rotateCalendarFeed: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Path of the feed; keep it secret. */
                        url: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    revokeCalendarFeed: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked; no body. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listServices: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A provider's services: active ones for everyone, all of them for the provider and administrators. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            active: boolean;
                            bookingWindowDays: number;
                            bufferAfterMinutes: number;
                            bufferBeforeMinutes: number;
                            cancellationWindowMinutes: number;
                            capacity: number;
                            /**
                             * Format: date-time
                             * @description ISO 8601 instant with an offset.
                             */
                            createdAt: string;
                            currency: string;
                            description: string;
                            durationMinutes: number;
                            /** Format: uuid */
                            id: string;
                            location: {
                                address?: string;
                                /** @enum {string} */
                                kind: "video" | "in_person" | "phone";
                            };
                            minNoticeMinutes: number;
                            name: string;
                            priceAmount: number;
                            /** Format: uuid */
                            providerId: string;
                            slotIntervalMinutes: number;
                            /**
                             * Format: date-time
                             * @description ISO 8601 instant with an offset.
                             */
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    createService: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        /** @description A new service; only name and durationMinutes are required. */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description Inactive services are hidden from clients and cannot be booked.
                     * @default true
                     */
                    active?: boolean;
                    /**
                     * @description How many days ahead a slot can be booked (1 to 730).
                     * @default 60
                     */
                    bookingWindowDays?: number;
                    /**
                     * @description Time kept free after each session.
                     * @default 0
                     */
                    bufferAfterMinutes?: number;
                    /**
                     * @description Time kept free before each session.
                     * @default 0
                     */
                    bufferBeforeMinutes?: number;
                    /**
                     * @description A client may cancel until this long before the start.
                     * @default 0
                     */
                    cancellationWindowMinutes?: number;
                    /**
                     * @description 1 = one-to-one; more = seats in one session.
                     * @default 1
                     */
                    capacity?: number;
                    /**
                     * @description ISO 4217 currency code.
                     * @default USD
                     */
                    currency?: string;
                    /** @default  */
                    description?: string;
                    /** @description Length of one session, 5 to 1440 minutes. */
                    durationMinutes: number;
                    /**
                     * @description Where the session happens; in_person needs an address.
                     * @default {
                     *       "kind": "video"
                     *     }
                     */
                    location?: {
                        address?: string;
                        /** @enum {string} */
                        kind: "video" | "in_person" | "phone";
                    };
                    /**
                     * @description How long before its start a slot can still be booked.
                     * @default 0
                     */
                    minNoticeMinutes?: number;
                    name: string;
                    /**
                     * @description Price in minor units; 0 = free.
                     * @default 0
                     */
                    priceAmount?: number;
                    /** @description Minutes between possible start times (default: the duration). */
                    slotIntervalMinutes?: number;
                };
            };
        };
        responses: {
            /** @description A service (event type) a provider offers. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        active: boolean;
                        bookingWindowDays: number;
                        bufferAfterMinutes: number;
                        bufferBeforeMinutes: number;
                        cancellationWindowMinutes: number;
                        capacity: number;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        createdAt: string;
                        currency: string;
                        description: string;
                        durationMinutes: number;
                        /** Format: uuid */
                        id: string;
                        location: {
                            address?: string;
                            /** @enum {string} */
                            kind: "video" | "in_person" | "phone";
                        };
                        minNoticeMinutes: number;
                        name: string;
                        priceAmount: number;
                        /** Format: uuid */
                        providerId: string;
                        slotIntervalMinutes: number;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getService: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                serviceId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A service (event type) a provider offers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        active: boolean;
                        bookingWindowDays: number;
                        bufferAfterMinutes: number;
                        bufferBeforeMinutes: number;
                        cancellationWindowMinutes: number;
                        capacity: number;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        createdAt: string;
                        currency: string;
                        description: string;
                        durationMinutes: number;
                        /** Format: uuid */
                        id: string;
                        location: {
                            address?: string;
                            /** @enum {string} */
                            kind: "video" | "in_person" | "phone";
                        };
                        minNoticeMinutes: number;
                        name: string;
                        priceAmount: number;
                        /** Format: uuid */
                        providerId: string;
                        slotIntervalMinutes: number;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    updateService: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                serviceId: string;
            };
            cookie?: never;
        };
        /** @description The service fields to change; at least one. location is replaced as a whole. */
        requestBody: {
            content: {
                "application/json": {
                    /** @description Inactive services are hidden from clients and cannot be booked. */
                    active?: boolean;
                    /** @description How many days ahead a slot can be booked (1 to 730). */
                    bookingWindowDays?: number;
                    /** @description Time kept free after each session. */
                    bufferAfterMinutes?: number;
                    /** @description Time kept free before each session. */
                    bufferBeforeMinutes?: number;
                    /** @description A client may cancel until this long before the start. */
                    cancellationWindowMinutes?: number;
                    /** @description 1 = one-to-one; more = seats in one session. */
                    capacity?: number;
                    /** @description ISO 4217 currency code. */
                    currency?: string;
                    description?: string;
                    /** @description Length of one session, 5 to 1440 minutes. */
                    durationMinutes?: number;
                    /** @description Where the session happens; in_person needs an address. */
                    location?: {
                        address?: string;
                        /** @enum {string} */
                        kind: "video" | "in_person" | "phone";
                    };
                    /** @description How long before its start a slot can still be booked. */
                    minNoticeMinutes?: number;
                    name?: string;
                    /** @description Price in minor units; 0 = free. */
                    priceAmount?: number;
                    /** @description Minutes between possible start times (default: the duration). */
                    slotIntervalMinutes?: number;
                };
            };
        };
        responses: {
            /** @description A service (event type) a provider offers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        active: boolean;
                        bookingWindowDays: number;
                        bufferAfterMinutes: number;
                        bufferBeforeMinutes: number;
                        cancellationWindowMinutes: number;
                        capacity: number;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        createdAt: string;
                        currency: string;
                        description: string;
                        durationMinutes: number;
                        /** Format: uuid */
                        id: string;
                        location: {
                            address?: string;
                            /** @enum {string} */
                            kind: "video" | "in_person" | "phone";
                        };
                        minNoticeMinutes: number;
                        name: string;
                        priceAmount: number;
                        /** Format: uuid */
                        providerId: string;
                        slotIntervalMinutes: number;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listSlots: {
        parameters: {
            query: {
                /** @description ISO 8601 instant with an offset, between 1970-01-01 and 2999-12-31 (UTC). */
                from: string & unknown;
                serviceId: string;
                /** @description Zone of localStart/localEnd (default: the provider’s). */
                timeZone?: string;
                /** @description ISO 8601 instant with an offset, between 1970-01-01 and 2999-12-31 (UTC). */
                to: string & unknown;
            };
            header?: {
                /** @description An ETag of an earlier answer: 304 when the slots have not changed. */
                "if-none-match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Free start times in [from, to), booked and held time (with buffers), notice and booking window excluded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * @description The provider's external calendar (Google) busy times these slots exclude: current (or no external calendar), stale (the last known ones: the calendar could not be read lately), or unknown (the calendar service did not answer: none excluded; bookings are still checked).
                         * @enum {string}
                         */
                        busyTimes: "current" | "stale" | "unknown";
                        slots: {
                            /**
                             * Format: date-time
                             * @description UTC.
                             */
                            end: string;
                            /**
                             * Format: date-time
                             * @description In the requested zone.
                             */
                            localEnd: string;
                            /**
                             * Format: date-time
                             * @description In the requested zone.
                             */
                            localStart: string;
                            seatsLeft: number;
                            /**
                             * Format: date-time
                             * @description UTC.
                             */
                            start: string;
                        }[];
                        timeZone: string;
                    };
                };
            };
            /** @description Not modified: the slots are the ones the If-None-Match tag names. */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getMyProvider: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A provider profile. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        bio: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        createdAt: string;
                        displayName: string;
                        /** Format: uuid */
                        id: string;
                        photoUrl: string | null;
                        /** @description Unpublished profiles are visible only to their owner and administrators. */
                        published: boolean;
                        specialty: string | null;
                        /** @description IANA zone the availability rules are written in. */
                        timeZone: string;
                        title: string;
                        /**
                         * Format: date-time
                         * @description ISO 8601 instant with an offset.
                         */
                        updatedAt: string;
                        /**
                         * Format: uuid
                         * @description The identity user who owns this profile.
                         */
                        userId: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUsers: {
        parameters: {
            query?: {
                /** @description nextCursor of the previous page. */
                cursor?: string;
                /** @description Page size, 1 to 100 (default 20). */
                limit?: number;
                /** @description Part of the email address or display name, in any letter case; % and _ match only themselves. Empty matches everyone. */
                q?: string;
                role?: "client" | "provider" | "admin";
                /** @description active: can sign in; disabled: disabled by an administrator. */
                status?: "active" | "disabled";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accounts, newest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            /** @description When an administrator disabled the account; null while it is enabled. */
                            disabledAt: string | null;
                            /** @description The reason given when it was disabled, if any. */
                            disabledReason: string | null;
                            /** @description Email address as entered at registration. */
                            email: string;
                            /** Format: uuid */
                            id: string;
                            /** @description BCP 47 language tag for messages and formats. */
                            locale: string;
                            name: string;
                            /**
                             * @description client books time, provider offers it, admin operates the platform.
                             * @enum {string}
                             */
                            role: "client" | "provider" | "admin";
                            /** @description IANA time zone used to show times to this user. */
                            timeZone: string;
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        /** @description Pass as cursor for the next page; null on the last page. */
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postUsersByIdDisable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user’s id. */
                id: string;
            };
            cookie?: never;
        };
        /** @description Optional details of the decision. */
        requestBody: {
            content: {
                "application/json": {
                    /** @description Why, for the audit trail (logged and sent with the user.disabled event). */
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description A user account as an administrator sees it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** @description When an administrator disabled the account; null while it is enabled. */
                        disabledAt: string | null;
                        /** @description The reason given when it was disabled, if any. */
                        disabledReason: string | null;
                        /** @description Email address as entered at registration. */
                        email: string;
                        /** Format: uuid */
                        id: string;
                        /** @description BCP 47 language tag for messages and formats. */
                        locale: string;
                        name: string;
                        /**
                         * @description client books time, provider offers it, admin operates the platform.
                         * @enum {string}
                         */
                        role: "client" | "provider" | "admin";
                        /** @description IANA time zone used to show times to this user. */
                        timeZone: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    postUsersByIdEnable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The user’s id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A user account as an administrator sees it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** @description When an administrator disabled the account; null while it is enabled. */
                        disabledAt: string | null;
                        /** @description The reason given when it was disabled, if any. */
                        disabledReason: string | null;
                        /** @description Email address as entered at registration. */
                        email: string;
                        /** Format: uuid */
                        id: string;
                        /** @description BCP 47 language tag for messages and formats. */
                        locale: string;
                        name: string;
                        /**
                         * @description client books time, provider offers it, admin operates the platform.
                         * @enum {string}
                         */
                        role: "client" | "provider" | "admin";
                        /** @description IANA time zone used to show times to this user. */
                        timeZone: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getUsersMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A user account as its owner sees it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** @description Email address as entered at registration. */
                        email: string;
                        /** Format: uuid */
                        id: string;
                        /** @description BCP 47 language tag for messages and formats. */
                        locale: string;
                        name: string;
                        /**
                         * @description client books time, provider offers it, admin operates the platform.
                         * @enum {string}
                         */
                        role: "client" | "provider" | "admin";
                        /** @description IANA time zone used to show times to this user. */
                        timeZone: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    patchUsersMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The profile fields to change; at least one. */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description BCP 47 language tag, e.g. en-US.
                     * @example en-US
                     */
                    locale?: string;
                    /** @description Display name. */
                    name?: string;
                    /**
                     * @description IANA time zone, e.g. Europe/Paris.
                     * @example Europe/Paris
                     */
                    timeZone?: string;
                };
            };
        };
        responses: {
            /** @description A user account as its owner sees it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** @description Email address as entered at registration. */
                        email: string;
                        /** Format: uuid */
                        id: string;
                        /** @description BCP 47 language tag for messages and formats. */
                        locale: string;
                        name: string;
                        /**
                         * @description client books time, provider offers it, admin operates the platform.
                         * @enum {string}
                         */
                        role: "client" | "provider" | "admin";
                        /** @description IANA time zone used to show times to this user. */
                        timeZone: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listWaitlist: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            createdAt: string;
                            /** @description The day waited for (provider’s zone), or null for one slot. */
                            date: string | null;
                            /** Format: uuid */
                            id: string;
                            /** @description While offered: the held booking to claim with POST /api/v1/bookings/:id/confirm-offer. */
                            offeredBookingId: string | null;
                            offerExpiresAt: string | null;
                            /** Format: uuid */
                            providerId: string;
                            /** Format: uuid */
                            serviceId: string;
                            /** @description The slot waited for (UTC), or null for a whole day. */
                            start: string | null;
                            /**
                             * @description waiting → offered → booked; cancelled when left or when an offer lapsed.
                             * @enum {string}
                             */
                            status: "waiting" | "offered" | "booked" | "cancelled";
                        }[];
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    joinWaitlist: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description Join the waitlist of a full slot or a full day. */
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: date
                     * @description …or for any slot of this date (provider’s zone).
                     * @example 2030-03-10
                     */
                    date?: string & unknown;
                    /** Format: uuid */
                    serviceId: string;
                    /**
                     * Format: date-time
                     * @description Wait for this slot…
                     * @example 2030-03-10T09:00:00Z
                     */
                    start?: string & unknown;
                } & (unknown | unknown);
            };
        };
        responses: {
            /** @description A place on a waitlist. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        createdAt: string;
                        /** @description The day waited for (provider’s zone), or null for one slot. */
                        date: string | null;
                        /** Format: uuid */
                        id: string;
                        /** @description While offered: the held booking to claim with POST /api/v1/bookings/:id/confirm-offer. */
                        offeredBookingId: string | null;
                        offerExpiresAt: string | null;
                        /** Format: uuid */
                        providerId: string;
                        /** Format: uuid */
                        serviceId: string;
                        /** @description The slot waited for (UTC), or null for a whole day. */
                        start: string | null;
                        /**
                         * @description waiting → offered → booked; cancelled when left or when an offer lapsed.
                         * @enum {string}
                         */
                        status: "waiting" | "offered" | "booked" | "cancelled";
                    };
                };
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is larger than the server accepts (PAYLOAD_TOO_LARGE). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description The request body is not JSON (UNSUPPORTED_MEDIA_TYPE). */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    leaveWaitlist: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Left; no body. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Problem details (application/problem+json). */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Problem details (application/problem+json). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many requests (RATE_LIMITED); Retry-After says when to try again. */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A dependency is unavailable, or the server is shutting down (SERVICE_UNAVAILABLE). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "retry-after"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
}
