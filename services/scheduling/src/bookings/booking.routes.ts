import { problemSchema, requireIdentity, requireRole, type App } from '@timeslot/kernel';
import type { SchedulingContext } from '../context';
import { registerFeedRoutes } from '../ics/feed.routes';
import { registerWaitlistRoutes } from '../waitlist/waitlist.routes';
import {
  bookingPageSchema,
  bookingSchema,
  cancelBody,
  createBookingBody,
  idempotencyHeaders,
  idParams,
  listBookingsQuery,
  rescheduleBody,
} from './booking.schemas';
import { createdBookingSchema, withPayment } from './booking.payment';
import { createBooking, getBooking, listBookings } from './booking.service';
import { cancelBooking, confirmBooking, confirmOffer, finishBooking, rescheduleBooking } from './booking.transitions';

const tags = ['bookings'];
const security = [{ bearerAuth: [] }];
const changeProblems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema } as const;

/**
 * Bookings, the waitlist and ICS feeds. Routes are thin: each one authenticates, then makes one
 * domain call; the rules (who may do what, when) live in the domain functions.
 */
export function registerBookingRoutes(app: App, ctx: SchedulingContext): void {
  app.post(
    '/api/v1/bookings',
    {
      schema: {
        operationId: 'createBooking',
        tags,
        security,
        summary: 'Book a slot (free: confirmed; paid: held until paid)',
        headers: idempotencyHeaders,
        body: createBookingBody,
        response: { 201: createdBookingSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema, 409: problemSchema, 422: problemSchema },
      },
    },
    async (request, reply) => {
      const result = await createBooking(ctx, requireIdentity(request), request.body, {
        idempotencyKey: request.headers['idempotency-key'],
        requestId: request.id,
        deadline: request.deadline,
      });
      if (result.replayed) void reply.header('idempotent-replayed', 'true');
      // Only 201s are stored for replay (a refused request may be retried with its key).
      return reply.status(result.statusCode as 201).send(await withPayment(ctx, result.body, request.deadline));
    },
  );

  app.get(
    '/api/v1/bookings',
    {
      schema: {
        operationId: 'listBookings',
        tags,
        security,
        summary: 'My bookings, as client or as provider, oldest start first',
        querystring: listBookingsQuery,
        response: { 200: bookingPageSchema, 400: problemSchema, 401: problemSchema },
      },
    },
    async (request) => listBookings(ctx, requireIdentity(request), request.query),
  );

  app.get(
    '/api/v1/bookings/:id',
    {
      schema: {
        operationId: 'getBooking',
        tags,
        security,
        summary: 'One booking (its client, its provider or an admin)',
        params: idParams,
        response: { 200: bookingSchema, 400: problemSchema, 401: problemSchema, 404: problemSchema },
      },
    },
    async (request) => getBooking(ctx, requireIdentity(request), request.params.id),
  );

  app.post(
    '/api/v1/bookings/:id/cancel',
    {
      schema: {
        operationId: 'cancelBooking',
        tags,
        security,
        summary: 'Cancel (the client until the cancellation window, the provider any time)',
        params: idParams,
        // A body is optional: Fastify hands over null when none was sent.
        body: cancelBody.nullish(),
        response: { 200: bookingSchema, ...changeProblems },
      },
    },
    async (request) => cancelBooking(ctx, requireIdentity(request), request.params.id, request.body?.reason, request.id),
  );

  app.post(
    '/api/v1/bookings/:id/reschedule',
    {
      schema: {
        operationId: 'rescheduleBooking',
        tags,
        security,
        summary: 'Move to another slot, atomically: the new time is taken and the old released, or nothing changes',
        params: idParams,
        body: rescheduleBody,
        response: { 200: bookingSchema, ...changeProblems },
      },
    },
    async (request) => rescheduleBooking(ctx, requireIdentity(request), request.params.id, request.body.start, request.id),
  );

  app.post(
    '/api/v1/bookings/:id/complete',
    {
      schema: { operationId: 'completeBooking', tags, security, summary: 'Mark as completed (provider or admin, after the start)', params: idParams, response: { 200: bookingSchema, ...changeProblems } },
    },
    async (request) => finishBooking(ctx, requireRole(request, 'provider', 'admin'), request.params.id, 'completed', request.id),
  );

  app.post(
    '/api/v1/bookings/:id/no-show',
    {
      schema: { operationId: 'markBookingNoShow', tags, security, summary: 'Mark as no-show (provider or admin, after the start)', params: idParams, response: { 200: bookingSchema, ...changeProblems } },
    },
    async (request) => finishBooking(ctx, requireRole(request, 'provider', 'admin'), request.params.id, 'no_show', request.id),
  );

  app.post(
    '/api/v1/bookings/:id/confirm-offer',
    {
      schema: {
        operationId: 'confirmWaitlistOffer',
        tags,
        security,
        summary: 'Claim a waitlist offer (free: confirmed; paid: held for payment)',
        params: idParams,
        response: { 200: bookingSchema, ...changeProblems },
      },
    },
    async (request) => confirmOffer(ctx, requireIdentity(request), request.params.id, request.id),
  );

  app.post(
    '/api/v1/bookings/:id/confirm',
    {
      schema: {
        operationId: 'confirmBooking',
        tags,
        security,
        summary: 'Confirm a held booking (admins; payments confirm through the domain)',
        params: idParams,
        response: { 200: bookingSchema, ...changeProblems },
      },
    },
    async (request) => {
      requireRole(request, 'admin');
      return confirmBooking(ctx, request.params.id, request.id);
    },
  );

  registerWaitlistRoutes(app, ctx);
  registerFeedRoutes(app, ctx);
}
