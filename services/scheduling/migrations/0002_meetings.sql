-- The meeting of a booking (video services): its link, made by the calendar service when the
-- booking is confirmed. pending: owed one the calendar could not make in the request; it arrives
-- later (meeting.ready). none: no meeting (not video, seated, or no calendar service).
alter table bookings
  add column meeting_status text not null default 'none' check (meeting_status in ('none', 'pending', 'ready')),
  add column meeting_url text,
  add constraint bookings_meeting_link check ((meeting_status = 'ready') = (meeting_url is not null));
