/*
 * kernel_features: CPU per loopback round trip on one ping socket with the engine's socket features switched on one by
 * one (ENGINE-NOTES §8). 1,024 echoes in flight, round-robin over 65,534 consecutive addresses from BASE_ADDR.
 *
 * Usage: kernel_features BASE_ADDR TS EP MM RE SM COUNT
 *   TS SO_TIMESTAMPNS, EP socket in an epoll set (never waited on), MM recvmmsg of 64 with names and control
 *   buffers (else recv), RE IP_RECVERR, SM sendmmsg of up to 64 (else sendto); each 0 or 1. COUNT round trips.
 * Bounded: stops after COUNT answers or 30 s. Packets go only to the range given (the bench namespace's 198.18.0.0/16).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/errqueue.h>
static double now(void){struct timespec ts;clock_gettime(CLOCK_MONOTONIC,&ts);return ts.tv_sec+ts.tv_nsec/1e9;}
static double cpu(void){struct rusage ru;getrusage(RUSAGE_SELF,&ru);return ru.ru_utime.tv_sec+ru.ru_utime.tv_usec/1e6+ru.ru_stime.tv_sec+ru.ru_stime.tv_usec/1e6;}
int main(int argc,char**argv){
  if(argc!=8){fprintf(stderr,"usage: %s BASE_ADDR TS EP MM RE SM COUNT\n",argv[0]);return 2;}
  int ts=atoi(argv[2]),ep=atoi(argv[3]),mm=atoi(argv[4]),re=atoi(argv[5]),sm=atoi(argv[6]); long total=atol(argv[7]), window=1024;
  int fd=socket(AF_INET,SOCK_DGRAM,IPPROTO_ICMP); if(fd<0){perror("socket");return 1;}
  int rcv=32<<20; setsockopt(fd,SOL_SOCKET,SO_RCVBUFFORCE,&rcv,sizeof rcv);
  int one=1;
  if(ts) setsockopt(fd,SOL_SOCKET,SO_TIMESTAMPNS,&one,sizeof one);
  if(re) setsockopt(fd,IPPROTO_IP,IP_RECVERR,&one,sizeof one);
  if(ep){int e=epoll_create1(0);struct epoll_event ev={.events=EPOLLIN,.data.fd=fd};epoll_ctl(e,EPOLL_CTL_ADD,fd,&ev);}
  unsigned char pkt[64];memset(pkt,0,64);pkt[0]=8;
  struct in_addr base; if(inet_pton(AF_INET,argv[1],&base)!=1) return 2; uint32_t b=ntohl(base.s_addr);
  enum{B=64}; static unsigned char bufs[B][2048]; static char ctl[B][256]; static struct sockaddr_in names[B];
  struct mmsghdr msgs[B]; struct iovec iov[B];
  struct mmsghdr smsgs[B]; struct iovec siov[B]; struct sockaddr_in sto[B];
  long sent=0,recvd=0; unsigned short seq=0;
  double t0=now(),c0=cpu();
  #define SEND1() do{ struct sockaddr_in to={.sin_family=AF_INET}; to.sin_addr.s_addr=htonl(b+(uint32_t)(sent%65534)); pkt[6]=seq>>8;pkt[7]=seq;seq++; \
     if(sendto(fd,pkt,64,0,(struct sockaddr*)&to,sizeof to)<0){perror("sendto");return 1;} sent++; }while(0)
  while(recvd<total && now()-t0<30){ /* and at most 30 s, answers or not */
    long want = window-(sent-recvd); if (want > total-sent) want = total-sent;
    if(sm){ while(want>0){ int k= want> B? B: want; for(int i=0;i<k;i++){ sto[i]=(struct sockaddr_in){.sin_family=AF_INET}; sto[i].sin_addr.s_addr=htonl(b+(uint32_t)((sent+i)%65534)); siov[i].iov_base=pkt; siov[i].iov_len=64; smsgs[i].msg_hdr=(struct msghdr){.msg_name=&sto[i],.msg_namelen=sizeof sto[i],.msg_iov=&siov[i],.msg_iovlen=1}; }
        int r=sendmmsg(fd,smsgs,k,0); if(r<0){perror("sendmmsg");return 1;} sent+=r; want-=r; } }
    else while(want-->0) SEND1();
    if(mm){
      for(int i=0;i<B;i++){iov[i].iov_base=bufs[i];iov[i].iov_len=2048;msgs[i].msg_hdr=(struct msghdr){.msg_name=&names[i],.msg_namelen=sizeof names[i],.msg_iov=&iov[i],.msg_iovlen=1,.msg_control=ctl[i],.msg_controllen=256};}
      int n=recvmmsg(fd,msgs,B,MSG_DONTWAIT,NULL); if(n<0){ if(errno==EAGAIN) continue; perror("recvmmsg");return 1;} recvd+=n;
    } else { ssize_t n=recv(fd,bufs[0],2048,MSG_DONTWAIT); if(n<0){ if(errno==EAGAIN) continue; perror("recv"); return 1;} recvd++; }
  }
  double s=now()-t0,c=cpu()-c0;
  printf("ts=%d ep=%d mm=%d re=%d sm=%d rate=%.0f cpu_us=%.3f\n",ts,ep,mm,re,sm,recvd/s,c*1e6/recvd);
  return 0;
}
