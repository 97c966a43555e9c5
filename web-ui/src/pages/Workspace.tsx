import { useQueryClient } from '@tanstack/react-query';
import StatsPanel from '../components/StatsPanel';
import TicketForm from '../components/TicketForm';
import TicketList from '../components/TicketList';
import { ticketCreated } from '../queries';

/** Today's workspace for agents: the form, the overview and the ticket list. */
export default function Workspace({ pageSize }: { pageSize?: number }) {
  const queryClient = useQueryClient();
  return (
    <div className="layout">
      <div className="side">
        <TicketForm onCreated={() => void ticketCreated(queryClient)} />
        <StatsPanel />
      </div>
      <div className="content">
        <TicketList pageSize={pageSize} />
      </div>
    </div>
  );
}
